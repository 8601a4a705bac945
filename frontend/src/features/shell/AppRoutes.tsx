import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from '../../api/queries';
import { AppLayout } from './AppLayout';
import { pagesFor } from './pages';
import { DossierRoute } from '../home/DossierRoute';
import { inDesktop } from '../../api/transports';
import { RefusedChangesPage } from '../sync/RefusedChangesPage';

/** A spinner that appears only if a page takes long to load, so fast loads do not flash. */
function PageLoader() {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), 300);
    return () => clearTimeout(timer);
  }, []);
  return (
    <Center mih={240} aria-busy="true">
      {shown && <Loader size="sm" />}
    </Center>
  );
}

/** A page inside the shell: the menu stays while the page's chunk loads. */
function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageLoader />}>{children}</Suspense>;
}

export function AppRoutes() {
  const { rights, isAdmin, organization, applicationsOffered } = useSession();
  const withOrg = Boolean(organization?.id);
  // Signing in lands on the home page. An account whose last organization
  // was deleted (or who left them all) has only its own account and the
  // list where it can create a new one.
  const fallback = withOrg ? '/home' : '/organizations';
  return (
    <Routes>
      <Route element={<AppLayout />}>
        {pagesFor({ rights, isAdmin, applicationsOffered }, withOrg).map(({ path, Component, eager }) => (
          <Route key={path} path={path} element={eager ? <Component /> : <Page><Component /></Page>} />
        ))}
        {withOrg && <Route path="/o/:orgId/*" element={<Page><DossierRoute /></Page>} />}
        {inDesktop() && <Route path="/refused-changes" element={<Page><RefusedChangesPage /></Page>} />}
        <Route path="*" element={<Navigate to={fallback} replace />} />
      </Route>
    </Routes>
  );
}
