import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { forgetSession } from '../../api/queries';

export function useSignOut() {
  const client = useQueryClient();
  const { t } = useTranslation();
  return useOpMutation('auth.signOut', {
    onSuccess: async () => {
      await forgetSession(client);
      notifications.show({ message: t('shell.signedOut') });
    },
  });
}
