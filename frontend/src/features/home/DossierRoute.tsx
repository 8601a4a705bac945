import { Suspense, useEffect, useRef } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, useParams } from 'react-router-dom';
import { useSession } from '../../api/queries';
import { pagesFor } from '../shell/pages';
import { useSwitchOrg } from '../orgs/api';

/**
 * `/o/<dossier>/<page>`: a page of a named dossier. The tab opens that
 * dossier first (as the switcher does: this tab only, the session
 * remembering it for the next start), then shows the page under the same
 * address, so the link can be sent and Back returns where it came from. A
 * dossier the account is not in, or a page it may not open there, leads
 * home.
 */
export function DossierRoute() {
  const { orgId = '', '*': rest = '' } = useParams();
  const { organization, rights, isAdmin, applicationsOffered } = useSession();
  const switchOrg = useSwitchOrg();
  const asked = useRef('');
  const here = organization?.id === orgId;

  useEffect(() => {
    if (here || !orgId || asked.current === orgId) return;
    asked.current = orgId;
    switchOrg.mutate(orgId);
  }, [here, orgId, switchOrg]);

  if (!here) {
    if (switchOrg.isError) return <Navigate to="/home" replace />;
    return (
      <Center mih={240} aria-busy="true">
        <Loader size="sm" />
      </Center>
    );
  }
  const page = pagesFor({ rights, isAdmin, applicationsOffered }, true).find((p) => p.path === `/${rest.split('/')[0]}`);
  if (!page) return <Navigate to="/home" replace />;
  const { Component } = page;
  return (
    <Suspense fallback={null}>
      <Component />
    </Suspense>
  );
}
