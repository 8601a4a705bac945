import { Navigate, Route, Routes } from 'react-router-dom';
import { useSession } from '../../api/queries';
import { AppLayout } from './AppLayout';
import { ProfilePage } from '../account/ProfilePage';
import { CompanyPage } from '../company/CompanyPage';
import { UsersPage } from '../users/UsersPage';

export function AppRoutes() {
  const { isAdmin } = useSession();
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route path="/account" element={<ProfilePage />} />
        {isAdmin && <Route path="/company" element={<CompanyPage />} />}
        {isAdmin && <Route path="/users" element={<UsersPage />} />}
        <Route path="*" element={<Navigate to="/account" replace />} />
      </Route>
    </Routes>
  );
}
