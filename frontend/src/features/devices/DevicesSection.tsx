import { useState } from 'react';
import { Badge, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { DeviceSession } from '../../api/types.gen';
import { errorMessage } from '../../i18n/errors';
import { SectionCard } from '../account/SectionCard';

const sessionsKey = ['sessions.list'] as const;

function when(iso: string, lang: string) {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** "Appareils et sessions" (SPEC A7): every signed-in device; sign one or all others out. */
export function DevicesSection() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const list = useQuery({ queryKey: sessionsKey, queryFn: () => call('sessions.list', {}) });
  const [target, setTarget] = useState<DeviceSession | 'others' | null>(null);
  const done = (message: string) => {
    setTarget(null);
    void client.invalidateQueries({ queryKey: sessionsKey });
    notifications.show({ color: 'teal', message });
  };
  const onError = (err: unknown) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) });
  const revoke = useMutation({
    mutationFn: (id: string) => call('sessions.revoke', { id }),
    onSuccess: () => done(t('devices.revoked')),
    onError,
  });
  const revokeOthers = useMutation({
    mutationFn: () => call('sessions.revokeOthers', {}),
    onSuccess: (r) => done(t('devices.revokedOthers', { count: r.signedOut })),
    onError,
  });
  const sessions = list.data?.sessions ?? [];
  const others = sessions.filter((s) => !s.current).length;

  return (
    <SectionCard title={t('devices.title')} description={t('devices.description')}>
      {list.isPending && <Text c="dimmed">{t('common.loading')}</Text>}
      {list.isError && <Text c="red">{errorMessage(t, list.error)}</Text>}
      {list.data && (
        <Stack gap="md">
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" aria-label={t('devices.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('devices.device')}</Table.Th>
                  <Table.Th>{t('devices.firstSeen')}</Table.Th>
                  <Table.Th>{t('devices.lastSeen')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
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
                    <Table.Td>{when(s.firstSeen, i18n.language)}</Table.Td>
                    <Table.Td>{when(s.lastSeen, i18n.language)}</Table.Td>
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
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {others > 0 && (
            <Group>
              <Button variant="default" color="red" onClick={() => setTarget('others')}>
                {t('devices.signOutOthers')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
      <Modal opened={target !== null} onClose={() => setTarget(null)} title={t('devices.confirmTitle')} centered>
        <Stack gap="md">
          <Text>{target === 'others' ? t('devices.confirmOthers', { count: others }) : t('devices.confirmOne')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setTarget(null)}>
              {t('security.cancel')}
            </Button>
            <Button
              color="red"
              loading={revoke.isPending || revokeOthers.isPending}
              onClick={() => (target === 'others' ? revokeOthers.mutate() : target && revoke.mutate(target.id))}
            >
              {t('devices.signOut')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </SectionCard>
  );
}
