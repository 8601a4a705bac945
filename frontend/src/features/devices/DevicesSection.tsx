import { useState } from 'react';
import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import type { DeviceSession } from '../../api/types.gen';
import { errorMessage } from '../../i18n/errors';
import { useAccountDates } from '../../ui/dates';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { DataTable } from '../../ui/DataTable';
import { SectionCard } from '../../ui/SectionCard';

/** "Appareils et sessions" (SPEC A7): every signed-in device; sign one or all others out. */
export function DevicesSection() {
  const { t } = useTranslation();
  const dates = useAccountDates();
  const list = useOp('sessions.list', {});
  const [target, setTarget] = useState<DeviceSession | 'others' | null>(null);
  const done = (message: string) => {
    setTarget(null);
    notifications.show({ color: 'teal', message });
  };
  const revoke = useOpMutation('sessions.revoke', { invalidates: ['sessions.list'], onSuccess: () => done(t('devices.revoked')) });
  const revokeOthers = useOpMutation('sessions.revokeOthers', {
    invalidates: ['sessions.list'],
    onSuccess: (r) => done(t('devices.revokedOthers', { count: r.signedOut })),
  });
  const sessions = list.data?.sessions ?? [];
  const others = sessions.filter((s) => !s.current).length;

  return (
    <SectionCard title={t('devices.title')} description={t('devices.description')}>
      {list.isPending && <Text c="dimmed">{t('common.loading')}</Text>}
      {list.isError && <Text c="red">{errorMessage(t, list.error)}</Text>}
      {list.data && (
        <Stack gap="md">
          <DataTable
            label={t('devices.title')}
            columns={[t('devices.device'), t('devices.firstSeen'), t('devices.lastSeen'), '']}
            minWidth={560}
          >
            {sessions.map((s) => (
              <Table.Tr key={s.id} data-testid="device-row">
                <Table.Td>
                  <Text fw={500}>
                    {s.deviceName || t(`devices.kind.${s.kind}`)}
                    {s.platform ? ` · ${t(`devices.platform.${s.platform}`, s.platform)}` : ''}
                  </Text>
                  <Text fz="sm" c="dimmed">
                    {t(`devices.kind.${s.kind}`)}
                    {s.ip ? ` · ${t('devices.ip', { ip: s.ip })}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{dates.dateTime(s.firstSeen)}</Table.Td>
                <Table.Td>{dates.dateTime(s.lastSeen)}</Table.Td>
                <Table.Td ta="right">
                  {s.current ? (
                    <Badge variant="light" tt="none">
                      {t('devices.thisDevice')}
                    </Badge>
                  ) : (
                    <Button size="xs" variant="default" onClick={() => setTarget(s)}>
                      {t('devices.signOut')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
          {others > 0 && (
            <Group>
              <Button variant="default" color="red" onClick={() => setTarget('others')}>
                {t('devices.signOutOthers')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <ConfirmModal
        opened={target !== null}
        onClose={() => setTarget(null)}
        title={t('devices.confirmTitle')}
        confirmLabel={t('devices.signOut')}
        color="red"
        loading={revoke.isPending || revokeOthers.isPending}
        onConfirm={() => (target === 'others' ? revokeOthers.mutate({}) : target && revoke.mutate({ id: target.id }))}
      >
        {target === 'others' ? t('devices.confirmOthers', { count: others }) : t('devices.confirmOne')}
      </ConfirmModal>
    </SectionCard>
  );
}
