import { useState } from 'react';
import type { TFunction } from 'i18next';
import { Button, Group, Indicator, Popover, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconCloud, IconCloudOff, IconAlertTriangle, IconPlugConnected } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useOp, useOpMutation } from '../../api/ops';
import { inDesktop } from '../../api/transports';
import type { SyncStatus as Status } from '../../api/types.gen';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { ConnectModal } from './ConnectModal';
import { reopened } from './reopen';
import { dayAndTime, hostOf } from './words';

/** How often the indicator asks the desktop for its state. */
export const STATUS_EVERY_MS = 3000;

const stateColor: Record<string, string> = {
  online: 'teal',
  // Offline is to be seen at a glance (changes wait on this computer), not
  // greyed out like something switched off.
  offline: 'yellow',
  signedOut: 'orange',
  certificateChanged: 'red',
  version: 'orange',
};

/**
 * The connection to an Atrium server at a glance, in the desktop only:
 * "Connecté à <serveur>" or "Hors ligne", the changes waiting to be sent,
 * the last sync; opened, what can be done (see the refused changes, sign in
 * again, disconnect). Not connected, the way to connect.
 */
export function SyncStatus({ inHeader = true }: { inHeader?: boolean }) {
  if (!inDesktop()) return null;
  return <DesktopSyncStatus inHeader={inHeader} />;
}

function DesktopSyncStatus({ inHeader }: { inHeader: boolean }) {
  const { t } = useTranslation();
  const status = useOp('sync.status', {}, { refetchInterval: STATUS_EVERY_MS });
  const [connecting, setConnecting] = useState(false);
  const s = status.data;
  if (!s) return null;
  if (!s.connected) {
    return (
      <>
        <Button variant="subtle" size={inHeader ? 'xs' : 'sm'} leftSection={<IconPlugConnected size={16} />} onClick={() => setConnecting(true)}>
          {t('sync.connectButton')}
        </Button>
        <ConnectModal opened={connecting} onClose={() => setConnecting(false)} localDossiers={s.localDossiers} />
      </>
    );
  }
  return <Connected s={s} />;
}

export function stateLabel(t: TFunction, s: Status): string {
  return t(`sync.state.${s.state}`, { server: hostOf(s.server ?? '') });
}

export function lastSyncLabel(t: TFunction, s: Status): string {
  if (!s.lastSyncAt) return t('sync.neverSynced');
  const w = dayAndTime(s.lastSyncAt);
  return w.today ? t('sync.lastSyncToday', { time: w.time }) : t('sync.lastSync', { date: w.date, time: w.time });
}

function Connected({ s }: { s: Status }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reconnecting, setReconnecting] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const disconnect = useOpMutation('sync.disconnect', {
    notify: false,
    onSuccess: async () => {
      setLeaving(false);
      await reopened(client);
      notifications.show({ color: 'teal', autoClose: 10000, message: t('sync.disconnectConfirm.done') });
    },
  });
  const color = stateColor[s.state] ?? 'gray';
  const Icon = s.state === 'online' ? IconCloud : s.state === 'offline' ? IconCloudOff : IconAlertTriangle;
  const needsSignIn = s.state === 'signedOut' || s.state === 'certificateChanged';
  return (
    <>
      <Popover opened={open} onChange={setOpen} position="bottom-end" width={340} shadow="md" withArrow>
        <Popover.Target>
          <UnstyledButton onClick={() => setOpen((o) => !o)} data-testid="sync-status" aria-label={stateLabel(t, s)}>
            <Group gap={8} wrap="nowrap">
              <Indicator color="red" disabled={s.refused === 0} size={8} offset={2}>
                <Icon size={20} color={`var(--mantine-color-${color}-${color === 'yellow' ? 8 : 6})`} />
              </Indicator>
              <Stack gap={0} visibleFrom="sm">
                <Text size="sm" fw={500} lh={1.2}>{stateLabel(t, s)}</Text>
                {s.waiting === 0 && s.refused > 0 ? (
                  <Text size="xs" c="red" lh={1.2}>{t('sync.refusedCount', { count: s.refused })}</Text>
                ) : (
                  <Text size="xs" lh={1.2} {...(s.waiting > 0 ? { fw: 500 } : { c: 'dimmed' })}>
                    {s.waiting > 0 ? t('sync.waiting', { count: s.waiting }) : lastSyncLabel(t, s)}
                  </Text>
                )}
              </Stack>
            </Group>
          </UnstyledButton>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Text fw={600}>{stateLabel(t, s)}</Text>
            <Text size="sm" data-testid="state-help">
              {s.state === 'version' && s.versions
                ? t(s.versions.update === 'desktop' ? 'sync.versionHelp.desktop' : 'sync.versionHelp.server',
                  { server: s.versions.server, desktop: s.versions.desktop })
                : t(`sync.stateHelp.${s.state}`)}
            </Text>
            {s.email && <Text size="sm" c="dimmed">{t('sync.account', { email: s.email })}</Text>}
            <Text size="sm">{s.waiting > 0 ? t('sync.waiting', { count: s.waiting }) : t('sync.noneWaiting')}</Text>
            <Text size="sm" c="dimmed">{lastSyncLabel(t, s)}</Text>
            {s.refused > 0 && (
              <Button variant="light" color="red" size="xs" onClick={() => { setOpen(false); navigate('/refused-changes'); }}>
                {t('sync.seeRefused')}
              </Button>
            )}
            {needsSignIn && (
              <Button size="xs" onClick={() => { setOpen(false); setReconnecting(true); }}>{t('sync.reconnect')}</Button>
            )}
            <Button variant="subtle" color="gray" size="xs" onClick={() => { setOpen(false); setLeaving(true); }}>
              {t('sync.disconnect')}
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
      <ConnectModal opened={reconnecting} onClose={() => setReconnecting(false)} server={s.server} email={s.email} />
      <ConfirmModal
        opened={leaving}
        onClose={() => { setLeaving(false); disconnect.reset(); }}
        title={t('sync.disconnectConfirm.title')}
        error={disconnect.errorText}
        confirmLabel={t('sync.disconnectConfirm.confirm')}
        color="red"
        loading={disconnect.isPending}
        onConfirm={() => disconnect.mutate({})}
      >
        <Stack gap="xs">
          <Text>{t('sync.disconnectConfirm.text', { server: hostOf(s.server ?? '') })}</Text>
          {s.waiting > 0 && <Text fw={600} c="red" data-testid="unsent">{t('sync.disconnectConfirm.waiting', { count: s.waiting })}</Text>}
        </Stack>
      </ConfirmModal>
    </>
  );
}
