import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, PasswordInput, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import type { ServerProbe } from '../../api/types.gen';
import { FormError } from '../../ui/FormError';
import { hostOf } from './words';
import { reopened } from './reopen';

/** The first sync under way: the dossiers' rows in, out of how many. */
function Fetching() {
  const { t } = useTranslation();
  const status = useOp('sync.status', {}, { refetchInterval: 500 });
  const f = status.data?.fetching;
  const pct = f && f.total > 0 ? Math.min(100, Math.round((100 * f.done) / f.total)) : 0;
  return (
    <Stack gap={4} data-testid="fetching">
      <Text size="sm" c="dimmed">{t('sync.connect.progress')}</Text>
      <Progress value={pct} animated={pct === 0} aria-label={t('sync.connect.progress')} />
    </Stack>
  );
}

interface Props {
  opened: boolean;
  onClose: () => void;
  /** The server to sign in to again (the connection is known): the address step is skipped. */
  server?: string;
  email?: string;
  /** The desktop's own file holds dossiers: say they stay on this computer. */
  localDossiers?: boolean;
}

/**
 * "Se connecter à un serveur Atrium": the address first, checked before any
 * password is sent (an Atrium server, https or this computer, a certificate
 * the system trusts or one accepted here by its fingerprint), then the
 * account's email and password, and its second factor when it has one.
 */
export function ConnectModal({ opened, onClose, server, email, localDossiers }: Props) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [probe, setProbe] = useState<ServerProbe | null>(null);
  const [trusted, setTrusted] = useState(false);
  const [pending, setPending] = useState<string | null>(null);
  const address = useForm({ initialValues: { server: server ?? '' } });
  const account = useForm({ initialValues: { email: email ?? '', password: '', code: '' } });

  const reset = () => {
    setProbe(null);
    setTrusted(false);
    setPending(null);
    account.setFieldValue('password', '');
    account.setFieldValue('code', '');
  };
  const close = () => {
    reset();
    onClose();
  };

  const check = useOpMutation('sync.probe', {
    form: address,
    notify: false,
    onSuccess: (p) => {
      setProbe(p);
      setTrusted(!p.fingerprint);
    },
  });
  const connect = useOpMutation('sync.connect', {
    form: account,
    fields: ['email', 'password', 'code'],
    notify: false,
    onSuccess: async (c) => {
      if (c.pendingTwoFactor) {
        setPending(c.pendingTwoFactor);
        return;
      }
      close();
      await reopened(client);
      notifications.show({ color: 'teal', autoClose: 10000, message: t('sync.connect.done', { server: hostOf(c.server ?? ''), count: c.organizations }) });
    },
    onError: () => account.setFieldValue('password', ''),
  });

  // Signing in again on the known server: the address is checked at once.
  const target = probe ?? (server ? { server, version: '' } : null);
  const submit = account.onSubmit((v) => {
    if (!target) return;
    connect.mutate({
      server: target.server,
      fingerprint: probe?.fingerprint ?? '',
      email: v.email.trim(),
      password: v.password,
      pendingToken: pending ?? '',
      code: pending ? v.code.trim() : '',
    });
  });

  return (
    <Modal opened={opened} onClose={close} title={t('sync.connect.title')} size="lg">
      <Stack>
        {!server && <Text size="sm">{t('sync.connect.what')}</Text>}
        {!server && localDossiers && (
          <Alert color="blue" data-testid="local-stay">
            {t('sync.connect.localStay')}
          </Alert>
        )}
        {!target && (
          <form noValidate onSubmit={address.onSubmit((v) => check.mutate({ server: v.server.trim() }))}>
            <Stack>
              <FormError message={check.errorText} />
              <TextInput label={t('sync.connect.server')} placeholder={t('sync.connect.serverHint')} required data-autofocus
                {...address.getInputProps('server')} />
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
                <Button type="submit" loading={check.isPending}>{t('sync.connect.check')}</Button>
              </Group>
            </Stack>
          </form>
        )}
        {probe && !trusted && (
          <>
            <Alert color="orange" title={t('sync.connect.untrustedTitle')} data-testid="fingerprint">
              <Stack gap="xs">
                <Text size="sm">{t('sync.connect.untrusted')}</Text>
                <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 14 }}>
                  {probe.fingerprint?.match(/.{1,2}/g)?.join(':').toUpperCase()}
                </Code>
                <Text size="sm">{t('sync.connect.acceptedNote')}</Text>
              </Stack>
            </Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={reset}>{t('sync.connect.back')}</Button>
              <Button color="orange" onClick={() => setTrusted(true)}>{t('sync.connect.accept')}</Button>
            </Group>
          </>
        )}
        {target && (!probe || trusted) && (
          <form noValidate onSubmit={submit}>
            <Stack>
              {probe && <Text size="sm" c="teal">{t('sync.connect.checked', { server: hostOf(probe.server) })}</Text>}
              <FormError message={connect.errorText} />
              {!pending && (
                <>
                  <TextInput label={t('sync.connect.email')} type="email" autoComplete="username" required data-autofocus
                    {...account.getInputProps('email')} />
                  <PasswordInput label={t('sync.connect.password')} autoComplete="current-password" required
                    visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }} {...account.getInputProps('password')} />
                </>
              )}
              {pending && (
                <>
                  <Text size="sm">{t('sync.connect.codeIntro')}</Text>
                  <TextInput label={t('sync.connect.code')} inputMode="numeric" autoComplete="one-time-code" required data-autofocus
                    {...account.getInputProps('code')} />
                </>
              )}
              {connect.isPending && <Fetching />}
              <Group justify="flex-end">
                {!server && <Button variant="default" onClick={reset}>{t('sync.connect.back')}</Button>}
                <Button type="submit" loading={connect.isPending}>{t('sync.connect.submit')}</Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Modal>
  );
}
