import { useState } from 'react';
import { Alert, Button, Card, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconDatabaseExport, IconDeviceFloppy, IconFileImport, IconRestore } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/errors';
import { call } from '../../api/client';
import { runJob, useJob } from '../../api/jobs';
import { invalidateOps, useOp } from '../../api/ops';
import { useTabOrg } from '../../api/org';
import { forgetSession } from '../../api/queries';
import type { BackupItem, Restored } from '../../api/types.gen';
import { errorMessage, failureText } from '../../i18n/errors';
import { JobProgress } from '../jobs/JobProgress';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { PageHeader } from '../../ui/PageHeader';
import { formatSize } from './format';
import { useLocalDates } from '../../ui/dates';

/** The reason's words: before-v14 and its kind are "before an update". */
function reasonKey(reason: string): string {
  return reason.startsWith('before-v') ? 'update' : reason;
}

/**
 * "Sauvegardes" (SPEC I2), in the desktop only: the database's backups, a
 * backup now, each one exported through the save dialog or restored, and a
 * restore from a file. A restore reopens Atrium on the backup and signs out.
 */
export function BackupsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const client = useQueryClient();
  const list = useOp('backups.list', {});
  // Backups are files of this computer: its own time.
  const when = useLocalDates().dateTime;
  const [toRestore, setToRestore] = useState<BackupItem | null>(null);
  const [fromFile, setFromFile] = useState(false);

  // Each copy is a job with its count (jobs.ts): the page may be left while
  // it runs, and its end is said in a notification wherever the person is.
  const org = useTabOrg();
  const creating = useJob('backups.create')?.state === 'running';
  const exporting = useJob('backups.export')?.state === 'running';
  const restoring = useJob('backups.restore')?.state === 'running';
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const failed = (err: unknown) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) });
  const create = () =>
    runJob('backups.create', org, () => call('backups.create', {}, { org }))
      .then((b) => {
        if (!b) return;
        void invalidateOps(client, ['backups.list']);
        notifications.show({ color: 'teal', message: t('backups.made', { when: when(b.at), size: formatSize(b.size, lang) }) });
      })
      .catch(failed);
  const exportOne = (name: string) =>
    runJob('backups.export', org, () => call('backups.export', { name }, { org }))
      .then((s) => {
        if (s && !s.cancelled) notifications.show({ color: 'teal', message: t('backups.exported', { path: s.path }) });
      })
      .catch(failed);
  const restoreJob = (work: () => Promise<Restored>, message: (r: Restored) => string) => {
    setRestoreError(null);
    runJob('backups.restore', org, work)
      .then((r) => r && restored(r, message(r)))
      .catch(async (err: ApiError) => {
        if (err.code === 'restore_failed') return reverted(err);
        setRestoreError(failureText(t, err));
      });
  };
  const restored = async (r: Restored, message: string) => {
    if (r.cancelled) return;
    setToRestore(null);
    setFromFile(false);
    await forgetSession(client);
    notifications.show({ color: 'teal', autoClose: 20000, title: t('backups.restoredTitle'), message });
  };
  // A restored file that would not open: the desktop put the data back as
  // it was, and signed out like a restore does.
  const reverted = async (err: ApiError) => {
    if (err.code !== 'restore_failed') return;
    setToRestore(null);
    setFromFile(false);
    await forgetSession(client);
    notifications.show({ color: 'red', autoClose: 20000, title: t('errors.title'), message: failureText(t, err) });
  };
  const restore = (b: BackupItem) =>
    restoreJob(
      () => call('backups.restore', { name: b.name }, { org }),
      (r) => t('backups.restored', { when: when(b.at), before: when(r.safetyBackup.at) }),
    );
  const restoreFile = () =>
    restoreJob(
      () => call('backups.restoreFile', {}, { org }),
      (r) => t('backups.restoredFile', { file: r.from, before: when(r.safetyBackup.at) }),
    );

  if (list.isError && list.error.code === 'forbidden') {
    return (
      <>
        <PageHeader title={t('backups.title')} />
        <Alert color="gray">{t('backups.forbidden')}</Alert>
      </>
    );
  }
  const backups = list.data?.backups ?? [];
  const failure = list.data?.lastFailure;
  return (
    <>
      <PageHeader title={t('backups.title')} subtitle={t('backups.subtitle')} />
      <Stack>
        {failure && (
          <Alert color="red" icon={<IconAlertTriangle size={18} />} data-testid="backup-failure">
            {t('backups.failed', { when: when(failure.at), reason: t(`errors.${failure.code}`, { defaultValue: t('errors.internal') }) })}
          </Alert>
        )}
        <Group>
          <Button leftSection={<IconDeviceFloppy size={18} />} disabled={creating || restoring} onClick={() => void create()}>
            {t('backups.backupNow')}
          </Button>
          <Button variant="default" leftSection={<IconFileImport size={18} />} onClick={() => setFromFile(true)}>
            {t('backups.restoreFromFile')}
          </Button>
        </Group>
        {creating && <JobProgress name="backups.create" />}
        {exporting && <JobProgress name="backups.export" />}
        {list.isPending && <Loader />}
        {list.isError && <Alert color="red">{failureText(t, list.error)}</Alert>}
        {list.isSuccess && !backups.length && (
          <Card>
            <Text c="dimmed">{t('backups.empty')}</Text>
          </Card>
        )}
        {backups.length > 0 && (
          <Card p={0}>
            <Table striped highlightOnHover verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('backups.when')}</Table.Th>
                  <Table.Th>{t('backups.kind')}</Table.Th>
                  <Table.Th ta="right">{t('backups.size')}</Table.Th>
                  <Table.Th ta="right">{t('backups.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {backups.map((b) => (
                  <Table.Tr key={b.name} data-testid="backup-row">
                    <Table.Td>{when(b.at)}</Table.Td>
                    <Table.Td>{t(`backups.reasons.${reasonKey(b.reason)}`, { defaultValue: b.reason })}</Table.Td>
                    <Table.Td ta="right">{formatSize(b.size, lang)}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="subtle" leftSection={<IconDatabaseExport size={16} />}
                          disabled={exporting} onClick={() => void exportOne(b.name)}>
                          {t('backups.export')}
                        </Button>
                        <Button size="xs" variant="light" color="orange" leftSection={<IconRestore size={16} />} onClick={() => setToRestore(b)}>
                          {t('backups.restore')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        )}
      </Stack>
      <ConfirmModal
        opened={toRestore !== null}
        onClose={() => { setToRestore(null); setRestoreError(null); }}
        title={t('backups.confirmTitle')}
        error={restoreError}
        confirmLabel={t('backups.confirmButton')}
        color="orange"
        loading={restoring}
        onConfirm={() => toRestore && restore(toRestore)}
      >
        <Stack>
          <Text>{toRestore ? t('backups.confirm', { when: when(toRestore.at) }) : ''}</Text>
          <JobProgress name="backups.restore" hint={false} />
        </Stack>
      </ConfirmModal>
      <ConfirmModal
        opened={fromFile}
        onClose={() => { setFromFile(false); setRestoreError(null); }}
        title={t('backups.confirmFileTitle')}
        error={restoreError}
        confirmLabel={t('backups.chooseFile')}
        color="orange"
        loading={restoring}
        onConfirm={restoreFile}
      >
        <Stack>
          <Text>{t('backups.confirmFile')}</Text>
          <JobProgress name="backups.restore" hint={false} />
        </Stack>
      </ConfirmModal>
    </>
  );
}
