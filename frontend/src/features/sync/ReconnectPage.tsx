import { useState } from 'react';
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOp } from '../../api/ops';
import { AuthLayout } from '../../ui/AuthLayout';
import { FullPageLoader } from '../../ui/FullPageLoader';
import { ConnectModal } from './ConnectModal';
import { hostOf } from './words';

/**
 * A connected desktop whose window has no session: the server ended it (the
 * device signed out from the browser, a password changed) and the replica
 * forgot what it held. Nothing is set up here and there is no local
 * password: the person signs in again on the server, and the changes made
 * here and not yet sent are kept until then.
 */
export function ReconnectPage() {
  const { t } = useTranslation();
  const status = useOp('sync.status', {}, { refetchInterval: 3000 });
  const [open, setOpen] = useState(false);
  const s = status.data;
  if (!s) return <FullPageLoader />;
  const server = hostOf(s.server ?? '');
  return (
    <AuthLayout title={t('sync.signInAgain.title', { server })} intro={t('sync.signInAgain.intro', { server })}>
      <Stack gap="md" data-testid="sign-in-again">
        {s.state === 'certificateChanged' && <Alert color="red">{t('sync.stateHelp.certificateChanged')}</Alert>}
        {s.state === 'version' && <Alert color="orange">{t('sync.stateHelp.version')}</Alert>}
        <Text fw={600}>{s.waiting > 0 ? t('sync.signInAgain.waiting', { count: s.waiting }) : t('sync.noneWaiting')}</Text>
        {s.email && <Text size="sm" c="dimmed">{t('sync.account', { email: s.email })}</Text>}
        <Button size="lg" fullWidth onClick={() => setOpen(true)}>{t('sync.reconnect')}</Button>
      </Stack>
      <ConnectModal opened={open} onClose={() => setOpen(false)} server={s.server} email={s.email} />
    </AuthLayout>
  );
}
