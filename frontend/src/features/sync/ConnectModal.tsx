import { useState } from 'react';
import { Alert, Button, Checkbox, Code, Group, Modal, PasswordInput, Progress, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import type { LocalDossier, ServerProbe } from '../../api/types.gen';
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

/**
 * The desktop's own dossiers, before anything is sent: send them to the
 * server (they become its dossiers, the connecting account their admin) or
 * keep them on this computer. Said in plain words before it happens.
 */
function LocalChoice({ dossiers, send, onSend, chosen, onChosen }: {
  dossiers: LocalDossier[];
  send: boolean;
  onSend: (v: boolean) => void;
  chosen: string[];
  onChosen: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="local-choice">
      <Text size="sm" fw={600}>{t('sync.connect.localTitle', { count: dossiers.length })}</Text>
      <Radio.Group value={send ? 'send' : 'keep'} onChange={(v) => onSend(v === 'send')}>
        <Stack gap="sm">
          <Radio value="keep" label={t('sync.connect.keepLabel')} description={t('sync.connect.keepText')} />
          <Radio value="send" label={t('sync.connect.sendLabel')} description={t('sync.connect.sendText')} />
        </Stack>
      </Radio.Group>
      {send && (
        <Stack gap={4} pl="xl">
          {dossiers.map((d) => (
            <Checkbox
              key={d.id}
              checked={chosen.includes(d.id)}
              onChange={(e) => onChosen(e.currentTarget.checked ? [...chosen, d.id] : chosen.filter((x) => x !== d.id))}
              label={d.name}
              description={t('sync.connect.dossierCounts', { members: d.members, tasks: d.tasks })}
            />
          ))}
        </Stack>
      )}
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
  const [send, setSend] = useState(false);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const address = useForm({ initialValues: { server: server ?? '' } });
  // The dossiers this desktop's user may send: only on a first connection.
  const local = useOp('sync.localDossiers', {}, { enabled: opened && !server && !!localDossiers });
  const dossiers = local.data?.dossiers ?? [];
  const upload = send ? (chosen ?? dossiers.map((d) => d.id)) : [];
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
      const words = [t('sync.connect.done', { server: hostOf(c.server ?? ''), count: c.organizations })];
      if (c.uploaded > 0) words.push(t('sync.connect.uploaded', { count: c.uploaded }));
      if (c.invited > 0) words.push(t('sync.connect.invited', { count: c.invited }));
      notifications.show({ color: 'teal', autoClose: 15000, message: words.join(' ') });
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
      upload,
    });
  });

  return (
    <Modal opened={opened} onClose={close} title={t('sync.connect.title')} size="lg">
      {/* The dialog's forms stay its own: React carries a submit out of the
          portal to the page's form around the button (the first run's). */}
      <Stack onSubmit={(e) => e.stopPropagation()}>
        {!server && <Text size="sm">{t('sync.connect.what')}</Text>}
        {!server && localDossiers && local.isSuccess && dossiers.length === 0 && (
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
        {probe?.update && (
          <>
            <Alert color="orange" title={t('sync.connect.versionTitle')} data-testid="version">
              {t(probe.update === 'desktop' ? 'sync.connect.updateDesktop' : 'sync.connect.updateServer',
                { server: probe.version, desktop: probe.desktopVersion })}
            </Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={reset}>{t('sync.connect.back')}</Button>
            </Group>
          </>
        )}
        {target && (!probe || trusted) && !probe?.update && (
          <form noValidate onSubmit={submit}>
            <Stack>
              {probe && <Text size="sm" c="teal">{t('sync.connect.checked', { server: hostOf(probe.server) })}</Text>}
              <FormError message={connect.errorText} />
              {!pending && (
                <>
                  {/* autoFocus: this step comes after the address, once the modal is open. */}
                  <TextInput label={t('sync.connect.email')} type="email" autoComplete="username" required data-autofocus autoFocus
                    {...account.getInputProps('email')} />
                  <PasswordInput label={t('sync.connect.password')} autoComplete="current-password" required
                    visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }} {...account.getInputProps('password')} />
                </>
              )}
              {pending && (
                <>
                  <Text size="sm">{t('sync.connect.codeIntro')}</Text>
                  <TextInput label={t('sync.connect.code')} inputMode="numeric" autoComplete="one-time-code" required data-autofocus autoFocus
                    {...account.getInputProps('code')} />
                </>
              )}
              {!server && !pending && dossiers.length > 0 && (
                <LocalChoice dossiers={dossiers} send={send} onSend={setSend} chosen={chosen ?? dossiers.map((d) => d.id)} onChosen={setChosen} />
              )}
              {connect.isPending && upload.length > 0 && <Text size="sm" c="dimmed">{t('sync.connect.sending', { count: upload.length })}</Text>}
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
