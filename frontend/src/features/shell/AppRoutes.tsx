import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from '../../api/queries';
import { AppLayout } from './AppLayout';
import { ProfilePage } from '../account/ProfilePage';
import { CompanyPage } from '../company/CompanyPage';
import { UsersPage } from '../users/UsersPage';
import { RolesPage } from '../roles/RolesPage';
import { ApplicationsPage } from '../applications/ApplicationsPage';
import { MyApplicationsPage } from '../account/applications/MyApplicationsPage';
import { OrganizationsPage } from '../orgs/OrganizationsPage';
import { TasksPage } from '../tasks/TasksPage';
import { HistoryPage } from '../history/HistoryPage';
import { OutboxPage } from '../outbox/OutboxPage';

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
          <Route path="/organizations" element={<OrganizationsPage />} />
          <Route path="*" element={<Navigate to="/organizations" replace />} />
        </Route>
      </Routes>
    );
  }
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route path="/account" element={<ProfilePage />} />
        <Route path="/company" element={<CompanyPage />} />
        <Route path="/organizations" element={<OrganizationsPage />} />
        {rights.includes('tasks.view') && <Route path="/tasks" element={<TasksPage />} />}
        {canViewMembers && <Route path="/users" element={<UsersPage />} />}
        {canViewMembers && <Route path="/roles" element={<RolesPage />} />}
        {canViewMembers && <Route path="/applications" element={<ApplicationsPage />} />}
        <Route path="/my-applications" element={<MyApplicationsPage />} />
        {rights.includes('audit.view') && <Route path="/history" element={<HistoryPage />} />}
        {(isAdmin || rights.includes('org.edit')) && <Route path="/outbox" element={<OutboxPage />} />}
        <Route path="*" element={<Navigate to="/account" replace />} />
      </Route>
    </Routes>
  );
}
