import { useLocation } from 'react-router-dom';
import { AcceptInvitationPage } from '../invitations/AcceptInvitationPage';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { ResetPasswordPage } from './ResetPasswordPage';
import { ConfirmEmailPage } from './ConfirmEmailPage';

/**
 * The pages opened from a message (invitation, reset, new address) or from
 * the sign-in page: they work signed in or not. Returns null elsewhere.
 */
export function usePublicPage(signedIn: boolean) {
  const { pathname, search } = useLocation();
  const params = new URLSearchParams(search);
  const token = params.get('token') ?? '';
  switch (pathname) {
    case '/invitation':
      return <AcceptInvitationPage token={token} signedIn={signedIn} />;
    case '/forgot-password':
      return signedIn ? null : <ForgotPasswordPage />;
    case '/reset-password':
      return <ResetPasswordPage token={token} />;
    case '/confirm-email':
      return <ConfirmEmailPage token={token} />;
  }
  return null;
}
