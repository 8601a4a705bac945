import { Alert, Stack } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';

/**
 * For an account signed in to no organization because its access is
 * suspended: where, and whom to ask to get it back.
 */
export function SuspendedNotice() {
  const { t, i18n } = useTranslation();
  const { suspended } = useSession();
  if (!suspended?.length) return null;
  const list = new Intl.ListFormat(i18n.language, { type: 'disjunction' });
  return (
    <Stack gap="sm" mb="lg" maw={880}>
      {suspended.map((s) => (
        <Alert key={s.organization} color="orange" icon={<IconLock size={18} />} title={t('orgs.suspended.title', { name: s.organization })}>
          {s.admins.length ? t('orgs.suspended.ask', { admins: list.format(s.admins) }) : t('orgs.suspended.askAdmin')}
        </Alert>
      ))}
    </Stack>
  );
}
