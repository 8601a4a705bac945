import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from '../../api/queries';
import { AppLayout } from './AppLayout';
import { ProfilePage } from '../account/ProfilePage';

// The shell and "Mon compte", where signing in lands, come with the console;
// every other page is its own chunk, loaded when first shown. The first screen
// (first run, sign-in) then parses less JavaScript. Chunks are in the binary,
// so a page loads in a few ms.
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}
const CompanyPage = page(() => import('../company/CompanyPage'), 'CompanyPage');
const UsersPage = page(() => import('../users/UsersPage'), 'UsersPage');
const RolesPage = page(() => import('../roles/RolesPage'), 'RolesPage');
const ApplicationsPage = page(() => import('../applications/ApplicationsPage'), 'ApplicationsPage');
const MyApplicationsPage = page(() => import('../account/applications/MyApplicationsPage'), 'MyApplicationsPage');
const OrganizationsPage = page(() => import('../orgs/OrganizationsPage'), 'OrganizationsPage');
const TasksPage = page(() => import('../tasks/TasksPage'), 'TasksPage');
const HistoryPage = page(() => import('../history/HistoryPage'), 'HistoryPage');
const OutboxPage = page(() => import('../outbox/OutboxPage'), 'OutboxPage');

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
  const { rights, isAdmin, organization } = useSession();
  const canViewMembers = isAdmin || rights.includes('members.view');
  // An account whose last organization was deleted (or who left them all)
  // has only its own account and the list where it can create a new one.
  if (!organization?.id) {
    return (
      <Routes>
        <Route element={<AppLayout />}>
          <Route path="/account" element={<ProfilePage />} />
          <Route path="/organizations" element={<Page><OrganizationsPage /></Page>} />
          <Route path="*" element={<Navigate to="/organizations" replace />} />
        </Route>
      </Routes>
    );
  }
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route path="/account" element={<ProfilePage />} />
        <Route path="/company" element={<Page><CompanyPage /></Page>} />
        <Route path="/organizations" element={<Page><OrganizationsPage /></Page>} />
        {rights.includes('tasks.view') && <Route path="/tasks" element={<Page><TasksPage /></Page>} />}
        {canViewMembers && <Route path="/users" element={<Page><UsersPage /></Page>} />}
        {canViewMembers && <Route path="/roles" element={<Page><RolesPage /></Page>} />}
        {canViewMembers && <Route path="/applications" element={<Page><ApplicationsPage /></Page>} />}
        <Route path="/my-applications" element={<Page><MyApplicationsPage /></Page>} />
        {rights.includes('audit.view') && <Route path="/history" element={<Page><HistoryPage /></Page>} />}
        {(isAdmin || rights.includes('org.edit')) && <Route path="/outbox" element={<Page><OutboxPage /></Page>} />}
        <Route path="*" element={<Navigate to="/account" replace />} />
      </Route>
    </Routes>
  );
}
