import { useState } from 'react';
import { Alert, Button, FileButton, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { opKey, useOpMutation } from '../../api/ops';
import { useTabOrg } from '../../api/org';
import type { ChainHead, ExportCheck, ExportFile, HistoryEntry, HistoryQuery, HistoryVerification } from '../../api/types.gen';
import { isApiError } from '../../api/errors';
import { errorMessage, failureText, fieldErrors } from '../../i18n/errors';
import { DateField } from '../../ui/DateField';
import { useDossierDates } from '../../ui/dates';
import { PageHeader } from '../../ui/PageHeader';
import { DataTable } from '../../ui/DataTable';
import { saveFile } from '../../api/files';
import { JobProgress, useExport } from '../jobs/JobProgress';
import { actionChoices, actionLabel, describe, subjectOf } from './describe';

type Filters = Omit<HistoryQuery, 'before' | 'limit'>;
const empty: Filters = { person: '', action: '', from: '', to: '', search: '' };

/** "Historique" (SPEC E2): filters, paging, CSV export, integrity check, chain head export. */
export function HistoryPage() {
  const { t, i18n: i } = useTranslation();
  const [filters, setFilters] = useState<Filters>(empty);
  const [formError, setFormError] = useState<string | null>(null);
  const [verification, setVerification] = useState<HistoryVerification | null>(null);
  const form = useForm<Filters>({ initialValues: empty });

  const org = useTabOrg();
  const list = useInfiniteQuery({
    queryKey: opKey('history.list', org, filters),
    initialPageParam: 0,
    queryFn: ({ pageParam }) => call('history.list', { ...filters, before: pageParam, limit: 50 }, { org }),
    getNextPageParam: (last) => (last.next > 0 ? last.next : undefined),
    retry: false,
  });
  const first = list.data?.pages[0];
  const dates = useDossierDates(first?.timezone);
  const when = (iso: string) => dates.dateTime(iso, { seconds: true });
  const entries: HistoryEntry[] = list.data?.pages.flatMap((p) => p.entries) ?? [];

  if (list.isError) {
    const f = fieldErrors(t, list.error, ['from', 'to', 'search']);
    if (f && JSON.stringify(form.errors) !== JSON.stringify(f)) form.setErrors(f);
  }

  // Each action's failure is said above the list, in the page's own words.
  const saidAbove = {
    notify: false,
    onMutate: () => setFormError(null),
    onError: (err: unknown) => setFormError(errorMessage(t, err)),
  };
  const save = (f: ExportFile) => saveFile(f).then(() => undefined, (err: unknown) => setFormError(errorMessage(t, err)));
  // A job with its count: the page may be left while it runs.
  const exportCSV = useExport('history.export', () => ({ ...filters, before: 0, limit: 0 }), (err) => setFormError(errorMessage(t, err)));
  const exportHead = useOpMutation('history.exportHead', { ...saidAbove, onSuccess: save });
  const [fileCheck, setFileCheck] = useState<ExportCheck | null>(null);
  const checkFile = useOpMutation('history.checkExport', {
    ...saidAbove,
    onMutate: () => {
      setFormError(null);
      setFileCheck(null);
    },
    onSuccess: setFileCheck,
  });
  const verify = useOpMutation('history.verify', {
    ...saidAbove,
    onMutate: () => {
      setFormError(null);
      setVerification(null);
    },
    onSuccess: (v) => {
      setVerification(v);
      void list.refetch();
    },
    onError: (err) =>
      setFormError(
        // The check is throttled per organization: say so in its own words.
        isApiError(err) && err.code === 'rate_limited' && err.retryAfter > 0
          ? t('history.verifyWait', { count: err.retryAfter })
          : failureText(t, err),
      ),
  });
  // A receipt kept earlier lets the check also find recent entries removed
  // since, which the history alone cannot show once its last entry is rewritten.
  const verifyWithReceipt = (file: File) =>
    void file.text().then((text) => {
      let head: ChainHead;
      try {
        head = JSON.parse(text) as ChainHead;
      } catch {
        setVerification(null);
        setFormError(t('fields.invalid_head'));
        return;
      }
      verify.mutate({ head });
    });

  return (
    <>
      <PageHeader title={t('history.title')} subtitle={t('history.subtitle', { tz: dates.zone })} />
      <Stack gap="lg">
        <form
          noValidate
          onSubmit={form.onSubmit((v) => {
            form.clearErrors();
            setFormError(null);
            if (v.from && v.to && v.from > v.to) {
              form.setErrors({ to: t('fields.date_range') });
              return;
            }
            setFilters({ ...v, search: v.search.trim() });
          })}
        >
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label={t('history.person')}
                placeholder={t('history.everyone')}
                clearable
                searchable
                data={(first?.people ?? []).map((p) => ({ value: p.id, label: p.name }))}
                value={form.values.person || null}
                onChange={(v) => form.setFieldValue('person', v ?? '')}
              />
              <Select
                label={t('history.actionLabel')}
                placeholder={t('history.allActions')}
                clearable
                searchable
                data={actionChoices(first?.actions ?? [], i.language)}
                value={form.values.action || null}
                onChange={(v) => form.setFieldValue('action', v ?? '')}
              />
              <TextInput label={t('history.search')} {...form.getInputProps('search')} />
              <DateField label={t('history.from')} {...form.getInputProps('from')} />
              <DateField label={t('history.to')} {...form.getInputProps('to')} />
              <Group align="flex-end">
                <Button type="submit">{t('history.apply')}</Button>
                <Button
                  variant="subtle"
                  onClick={() => {
                    form.setValues(empty);
                    form.clearErrors();
                    setFilters(empty);
                  }}
                >
                  {t('history.reset')}
                </Button>
              </Group>
            </SimpleGrid>
          </Stack>
        </form>

        <Group gap="sm">
          <Button variant="default" onClick={() => { if (!exportCSV.running) { setFormError(null); exportCSV.start(); } }}
            data-disabled={exportCSV.running || undefined} aria-disabled={exportCSV.running}>
            {t('history.exportCsv')}
          </Button>
          {!first?.serverCopy && <>
            <Button variant="default" onClick={() => verify.mutate({})} loading={verify.isPending}>
              {t('history.verify')}
            </Button>
            <FileButton accept=".csv,text/csv" onChange={(file) => file && void file.text().then((content) => checkFile.mutate({ content }))}>
              {(props) => (
                <Button {...props} variant="default" loading={checkFile.isPending}>
                  {t('history.checkFile')}
                </Button>
              )}
            </FileButton>
            <Tooltip label={t('history.receiptHint')} multiline w={340} withArrow>
              <Button variant="subtle" onClick={() => exportHead.mutate({})} loading={exportHead.isPending}>
                {t('history.exportHead')}
              </Button>
            </Tooltip>
            <FileButton accept=".json,application/json" onChange={(file) => file && verifyWithReceipt(file)}>
              {(props) => (
                <Button {...props} variant="subtle" loading={verify.isPending}>
                  {t('history.verifyReceipt')}
                </Button>
              )}
            </FileButton>
          </>}
        </Group>
        {first?.serverCopy && <Text size="sm" c="dimmed" data-testid="server-copy">{t('history.serverCopy')}</Text>}
        {exportCSV.running && <JobProgress name="history.export" />}
        {formError && <Alert color="red">{formError}</Alert>}
        {fileCheck && (
          <Alert
            data-testid="file-check-result"
            color={fileCheck.ok ? 'teal' : 'red'}
            title={fileCheck.ok ? t('history.fileIntact') : t('history.fileBroken')}
            withCloseButton
            onClose={() => setFileCheck(null)}
          >
            {fileCheck.ok ? t('history.fileIntactBody', { count: fileCheck.rows }) : t(`history.fileProblem.${fileCheck.problem}`)}
            {fileCheck.ok && fileCheck.missing > 0 && (
              <Text fz="sm" mt={4}>
                {t('history.fileMissing', { count: fileCheck.missing })}
              </Text>
            )}
            {!fileCheck.ok && fileCheck.number > 0 && (
              <Text fz="sm" mt={4}>
                {t('history.fileBrokenAt', { line: fileCheck.line, number: fileCheck.number })}
              </Text>
            )}
          </Alert>
        )}
        {verification && (
          <Alert
            data-testid="verify-result"
            color={verification.ok ? 'teal' : 'red'}
            title={verification.ok ? t('history.intact') : t('history.broken')}
            withCloseButton
            onClose={() => setVerification(null)}
          >
            {verification.ok
              ? t('history.intactBody', { count: verification.checked })
              : t(`history.problem.${verification.problem}`, { seq: verification.brokenSeq })}
            {!verification.ok && verification.brokenAt && (
              <Text fz="sm" mt={4}>
                {t('history.brokenWhen', { date: when(verification.brokenAt) })}
              </Text>
            )}
          </Alert>
        )}

        {list.isPending && <Text c="dimmed">{t('common.loading')}</Text>}
        {list.isError && !fieldErrors(t, list.error, ['from', 'to', 'search']) && <Text c="red">{errorMessage(t, list.error)}</Text>}
        {list.isSuccess && entries.length === 0 && (
          <Text c="dimmed">{t(list.hasNextPage ? 'history.noneRecent' : 'history.empty')}</Text>
        )}
        {entries.length > 0 && (
          <DataTable
            label={t('history.title')}
            striped
            compact
            minWidth={860}
            columns={[t('history.number'), t('history.when'), t('history.actionLabel'), t('history.who'), t('history.subject'), t('history.details')]}
          >
                {entries.map((e) => (
                  <Table.Tr key={e.id} data-testid="history-row">
                    <Table.Td>
                      {e.pending ? (
                        // Made on this computer, on its way to the server.
                        <Text fz="xs" fw={600} c="orange.8" style={{ whiteSpace: 'nowrap' }} title={t('history.pendingHelp')} data-testid="history-pending">
                          {t('history.pending')}
                        </Text>
                      ) : (
                        <Text fz="sm" c="dimmed">
                          {e.number || ''}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(e.at)}</Table.Td>
                    <Table.Td>{actionLabel(e.action, i.language)}</Table.Td>
                    <Table.Td>
                      {e.actorName || t('history.nobody')}
                      {/* Where it was done from: a detail of who did it. */}
                      <Text fz="xs" c="dimmed" title={t('history.device')}>
                        {e.device}
                      </Text>
                    </Table.Td>
                    <Table.Td data-testid="history-subject">{subjectOf(t, e)}</Table.Td>
                    <Table.Td>
                      <Text fz="sm">{describe(t, e, i.language)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
          </DataTable>
        )}
        {list.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {/* A text search reads the history by stretches: the next one is older. */}
              {t(filters.search ? 'history.searchOlder' : 'history.more')}
            </Button>
          </Group>
        )}
      </Stack>
    </>
  );
}
