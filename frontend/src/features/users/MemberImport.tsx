import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Badge, Button, FileInput, Group, Modal, Progress, ScrollArea, SegmentedControl, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconFileImport, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCanWrite } from '../../api/rights';
import type { ImportLine, ImportMapping, ImportPlan, ImportProgress, JobProgress } from '../../api/types.gen';
import { useOp } from '../../api/ops';
import { saveFile } from '../../api/files';
import { FormError } from '../../ui/FormError';
import { errorMessage } from '../../i18n/errors';
import { useMemberMutation } from './api';
import { useFocusBackOnClose } from '../../ui/focusBack';

/** The fields an import reads, in the order the dialog offers them. */
const FIELDS: (keyof ImportMapping)[] = ['email', 'firstName', 'lastName', 'jobTitle', 'employeeRef', 'roles'];
const ACTIONS = ['refused', 'create', 'update', 'unchanged'] as const;
const ACTION_COLORS: Record<string, string> = { create: 'teal', update: 'blue', unchanged: 'gray', refused: 'red' };
/** A long file shows its first lines of each kind; the totals count them all. */
const SHOWN = 200;
/** The backend's limit (maxImportBytes): a larger file would not even reach it. */
const MAX_BYTES = 720 * 1024;

/** The file's bytes as base64, as the operation takes them (any encoding travels as it is). */
async function fileBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** "Importer des membres" on the member list: shown to those who may invite (SPEC C9). */
export function MemberImportButton() {
  const { t } = useTranslation();
  const has = useCanWrite();
  const [open, setOpen] = useState(false);
  const may = has('members.invite');
  const progress = useImportProgress(may, false);
  if (!may) return null;
  const running = progress.data?.running ? progress.data : null;
  return (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setOpen(true)}>
        {running ? t('import.running', { done: running.done, total: running.total }) : t('import.button')}
      </Button>
      {open && <MemberImportDialog onClose={() => setOpen(false)} />}
    </>
  );
}

/**
 * How far the import running in this organization is (the job
 * "members.import", read with jobs.progress like every long work), read
 * again every half second while it runs (or while this console waits for one
 * it started: `waiting`). The list's button and the dialog share it, so the
 * dialog may be closed while the import goes on, and opened again to follow it.
 */
function useImportProgress(enabled: boolean, waiting: boolean): { data?: ImportProgress } {
  const q = useOp('jobs.progress', { name: 'members.import' }, {
    enabled,
    refetchInterval: (q) => (waiting || (q.state.data as JobProgress | undefined)?.state === 'running' ? 500 : false),
  });
  const p = q.data;
  return { data: p?.state === 'running' ? { running: true, done: p.done, total: p.total } : undefined };
}

/**
 * The import: a file is read and its dry run shown (how it was read, the
 * columns, what each line will do); "Importer" then applies that very plan,
 * which the backend checks by its hash.
 */
export function MemberImportDialog({ onClose }: { onClose: () => void }) {
  useFocusBackOnClose();
  const { t } = useTranslation();
  const [content, setContent] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [plan, setPlan] = useState<ImportPlan | null>(null);
  const [tooLarge, setTooLarge] = useState(false);
  const check = useMemberMutation('members.importCheck', {
    notify: false,
    invalidates: [],
    onSuccess: (p) => setPlan(p),
  });
  // Closed while its import runs, the dialog is not there to show a failure.
  const shown = useRef(true);
  useEffect(() => () => void (shown.current = false), []);
  const apply = useMemberMutation('members.import', {
    notify: false,
    invalidates: ['members.list', 'members.get', 'invitations.list', 'roles.list', 'jobs.progress'],
    onError: (err) => {
      if (!shown.current) notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) });
    },
    onSuccess: (res) => {
      notifications.show({
        color: res.mailWaits ? 'yellow' : 'teal',
        autoClose: res.mailWaits ? 10000 : undefined,
        message: [
          t('import.done', {
            what: [
              res.totals.created > 0 && t('import.doneCreated', { count: res.totals.created }),
              res.totals.updated > 0 && t('import.doneUpdated', { count: res.totals.updated }),
            ]
              .filter(Boolean)
              .join(t('import.and')),
          }),
          res.mailWaits ? t('import.mailWaits') : '',
        ].join(' '),
      });
      onClose();
    },
  });

  const choose = async (file: File | null) => {
    setPlan(null);
    setFile(file);
    setTooLarge(!!file && file.size > MAX_BYTES);
    if (!file || file.size > MAX_BYTES) return setContent(null);
    const b64 = await fileBase64(file);
    setContent(b64);
    check.mutate({ content: b64 });
  };
  const remap = (field: keyof ImportMapping, col: string | null) => {
    if (!plan || !content) return;
    const mapping = { ...plan.mapping, [field]: col === null ? -1 : Number(col) };
    // One column feeds one field: taking it elsewhere frees it here.
    for (const f of FIELDS) if (f !== field && col !== null && mapping[f] === Number(col)) mapping[f] = -1;
    check.mutate({ content, mapping });
  };
  const todo = plan ? plan.totals.created + plan.totals.updated : 0;
  const progress = useImportProgress(true, apply.isPending);
  const running = apply.isPending || !!progress.data?.running;

  return (
    <Modal opened onClose={onClose} title={t('import.title')} size="xl" closeOnClickOutside={false}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('import.intro')}
        </Text>
        <FileInput
          label={t('import.file')}
          placeholder={t('import.filePlaceholder')}
          accept=".csv,text/csv"
          leftSection={<IconUpload size={16} />}
          value={file}
          onChange={choose}
          disabled={running}
          clearable
        />
        <FormError message={tooLarge ? t('fields.file_too_large') : check.errorText} />
        {plan && content && (
          <>
            <ReadAs plan={plan} />
            <MappingFields plan={plan} onChange={remap} disabled={check.isPending || running} />
            <DryRun plan={plan} />
            {plan.missingRight && (
              <Alert color="orange" title={t('import.missingRightTitle')}>
                {t(`import.missingRight.${plan.missingRight === 'rights.edit' ? 'rights' : 'members'}`)}
              </Alert>
            )}
            <FormError message={apply.errorText} />
          </>
        )}
        {running && <ImportRunning progress={progress.data} />}
        <Group justify="space-between">
          <div>
            {plan?.refused && (
              <Button
                variant="light"
                color="red"
                leftSection={<IconDownload size={16} />}
                onClick={() => plan.refused && void saveFile(plan.refused)}
              >
                {t('import.downloadRefused', { count: plan.totals.refused })}
              </Button>
            )}
          </div>
          <Group>
            <Button variant="default" onClick={onClose}>
              {running ? t('import.closeRunning') : t('common.cancel')}
            </Button>
            <Button
              onClick={() => plan && content && apply.mutate({ content, mapping: plan.mapping, planHash: plan.planHash })}
              disabled={!plan || todo === 0 || !!plan.missingRight || check.isPending || running}
              loading={apply.isPending}
            >
              {plan && todo > 0 ? t('import.apply', { count: todo }) : t('import.applyNothing')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}

/**
 * A running import: its rows written so far, of how many (the backend counts
 * them as it writes), then the end of its one write; it goes on if the
 * dialog is closed.
 */
function ImportRunning({ progress }: { progress?: ImportProgress }) {
  const { t } = useTranslation();
  const total = progress?.running ? progress.total : 0;
  const done = progress?.running ? progress.done : 0;
  const text = !total ? t('import.starting') : done < total ? t('import.progress', { done, count: total }) : t('import.finishing');
  return (
    <Stack gap={4}>
      <Text size="sm" aria-live="polite" data-testid="import-progress">
        {text}
      </Text>
      <Progress value={total ? (100 * done) / total : 100} striped animated={!total || done >= total} aria-label={text} />
      <Text size="sm" c="dimmed">
        {t('import.background')}
      </Text>
    </Stack>
  );
}

/** How the file was read, and its first rows as read, so wrong accents show at once. */
function ReadAs({ plan }: { plan: ImportPlan }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm">
        {t('import.readAs', { encoding: t(`import.encodings.${plan.encoding}`), delimiter: plan.delimiter })}
      </Text>
      <ScrollArea type="auto" offsetScrollbars>
        <Table withTableBorder fz="xs" aria-label={t('import.preview')}>
          <Table.Thead>
            <Table.Tr>
              {plan.headers.map((h, i) => (
                <Table.Th key={i}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.preview.map((row, r) => (
              <Table.Tr key={r}>
                {plan.headers.map((_, i) => (
                  <Table.Td key={i}>{row[i] ?? ''}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Stack>
  );
}

/** Which column feeds each field: recognised from the headers, adjustable. */
function MappingFields({ plan, onChange, disabled }: { plan: ImportPlan; onChange: (f: keyof ImportMapping, col: string | null) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const columns = plan.headers.map((h, i) => ({ value: String(i), label: h.trim() || t('import.column', { n: i + 1 }) }));
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
      {FIELDS.map((f) => (
        <Select
          key={f}
          label={t(`import.fields.${f}`)}
          placeholder={t('import.notRead')}
          data={columns}
          value={plan.mapping[f] >= 0 ? String(plan.mapping[f]) : null}
          onChange={(v) => onChange(f, v)}
          clearable
          disabled={disabled}
        />
      ))}
    </SimpleGrid>
  );
}

/** The dry run: totals, then line by line what will happen. */
function DryRun({ plan }: { plan: ImportPlan }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<string>(plan.totals.refused > 0 ? 'refused' : 'all');
  const count = (a: string) => ({ create: plan.totals.created, update: plan.totals.updated, unchanged: plan.totals.unchanged, refused: plan.totals.refused })[a] ?? 0;
  const lines = useMemo(() => plan.lines.filter((l) => shown === 'all' || l.action === shown), [plan, shown]);
  return (
    <Stack gap="xs" aria-label={t('import.dryRun')} component="section">
      <Text fw={600}>{t('import.dryRun')}</Text>
      <Group gap="xs">
        {ACTIONS.map((a) => (
          <Badge key={a} color={ACTION_COLORS[a]} variant="light" size="lg" tt="none" data-testid={`import-total-${a}`}>
            {t(`import.totals.${a}`, { count: count(a) })}
          </Badge>
        ))}
      </Group>
      <SegmentedControl
        size="xs"
        value={shown}
        onChange={setShown}
        data={[{ value: 'all', label: t('import.show.all') }, ...ACTIONS.filter((a) => count(a) > 0).map((a) => ({ value: a, label: t(`import.show.${a}`) }))]}
      />
      <ScrollArea.Autosize mah={320} type="auto">
        <Table striped fz="sm" aria-label={t('import.lines')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={70}>{t('import.line')}</Table.Th>
              <Table.Th>{t('import.person')}</Table.Th>
              <Table.Th w={120}>{t('import.outcome')}</Table.Th>
              <Table.Th>{t('import.detail')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.slice(0, SHOWN).map((l) => (
              <LineRow key={l.line} line={l} />
            ))}
          </Table.Tbody>
        </Table>
        {lines.length > SHOWN && (
          <Text size="sm" c="dimmed" ta="center" py="xs">
            {t('import.more', { count: lines.length - SHOWN })}
          </Text>
        )}
      </ScrollArea.Autosize>
    </Stack>
  );
}

function LineRow({ line }: { line: ImportLine }) {
  const { t } = useTranslation();
  const detail =
    line.action === 'refused' || line.reason
      ? line.reason
      : line.action === 'update'
        ? t('import.changed', { fields: line.changes.map((c) => t(`import.changes.${c}`)).join(', ') })
        : line.action === 'create'
          ? t('import.invited')
          : t('import.same');
  return (
    <Table.Tr data-testid="import-line">
      <Table.Td>{line.line}</Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {line.name || line.email}
        </Text>
        {line.name && (
          <Text size="xs" c="dimmed">
            {line.email}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Badge color={ACTION_COLORS[line.action]} variant="light" tt="none">
          {t(`import.actions.${line.action}`)}
        </Badge>
      </Table.Td>
      <Table.Td>{detail}</Table.Td>
    </Table.Tr>
  );
}
