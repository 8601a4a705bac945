import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { keys } from '../../api/queries';
import { errorMessage } from '../../i18n/errors';

export function useSignOut() {
  const client = useQueryClient();
  const { t } = useTranslation();
  return useMutation({
    mutationFn: () => call('auth.signOut', {}),
    onSuccess: async () => {
      window.location.hash = '#/';
      // Forget everything about the account; the boot then shows the sign-in page.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.setupStatus[0] && q.queryKey[0] !== keys.session[0] });
      await client.resetQueries({ queryKey: keys.session });
      notifications.clean();
      notifications.show({ message: t('shell.signedOut') });
    },
    onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) }),
  });
}
