import { useState } from 'react';
import {
  ActionIcon, Badge, Button, Card, Group, Modal, SegmentedControl, Select, Stack, Table, Text,
  TextInput, Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconPencil, IconPlus, IconRotate } from '@tabler/icons-react';
import { keepPreviousData } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import { useSession } from '../../api/queries';
import type { FieldConflict, Task, TaskInput } from '../../api/types.gen';
import { ConflictAlert, settle } from '../../ui/ConflictAlert';
import { DataTable, ListState } from '../../ui/DataTable';
import { DateField } from '../../ui/DateField';
import { formatDay } from '../../ui/dates';
import { ModalActions } from '../../ui/ModalActions';
import { PageHeader } from '../../ui/PageHeader';
import { isClosed } from '../orgs/api';
import { ListFooter } from '../../ui/ListFooter';

const PAGE = 25;

const REPEATS = ['none', 'monthly', 'quarterly', 'yearly'] as const;

function TaskModal({ task, opened, onClose }: { task: Task | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const assignees = useOp('tasks.assignees', {});
  const form = useForm<TaskInput>({
    initialValues: {
      id: task?.id ?? '',
      title: task?.title ?? '',
      dueDate: task?.dueDate ?? '',
      assigneeId: task?.assignee?.id ?? '',
      repeat: task?.repeat ?? 'none',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('common.required')),
      dueDate: (v, all) => (all.repeat !== 'none' && !v ? t('fields.repeat_needs_due_date') : null),
    },
  });
  // An edit carries the task as the form showed it (its base): a field
  // someone else changed meanwhile comes back as a conflict, with both values.
  type Shown = Record<'title' | 'dueDate' | 'assigneeId' | 'repeat', string>;
  const [shown, setShown] = useState<Shown>(() => ({
    title: task?.title ?? '', dueDate: task?.dueDate ?? '', assigneeId: task?.assignee?.id ?? '', repeat: task?.repeat ?? 'none',
  }));
  const [conflicts, setConflicts] = useState<FieldConflict[]>([]);
  const save = useOpMutation((v: TaskInput) => (v.id ? 'tasks.update' : 'tasks.create'), {
    form,
    fields: ['title', 'dueDate', 'assigneeId', 'repeat'],
    input: (v: TaskInput) => (v.id ? { ...v, base: v.base ?? { ...shown } } : v),
    invalidates: ['tasks.list'],
    onMutate: () => setConflicts([]),
    onError: (err) => setConflicts(err.conflicts),
    onSuccess: (saved) => {
      const given = saved.insteadOf && saved.insteadOf.id !== task?.insteadOf?.id;
      notifications.show({
        color: 'teal',
        message: given ? t('away.taskRedirected', { name: saved.assignee?.name, absent: saved.insteadOf?.name }) : task ? t('tasks.saved') : t('tasks.created'),
      });
      onClose();
    },
  });
  const offered = (assignees.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }));
  // A task kept by someone who can no longer see tasks still shows who has it.
  const current = task?.assignee;
  if (current && !offered.some((o) => o.value === current.id)) {
    offered.unshift({ value: current.id, label: `${current.name} (${t(`tasks.access.${task.assigneeAccess || 'no_access'}`)})` });
  }
  const hidden = assignees.data?.hidden ?? 0;
  // Keep mine: sent again over the values saved now. Keep the current one:
  // the fields take the saved values and the rest of the form is sent again.
  const resolve = (keepMine: boolean) => {
    const { base, values } = settle(shown, form.getValues(), conflicts, keepMine);
    setShown(base);
    if (!keepMine) form.setValues(values);
    form.clearErrors();
    save.mutate({ ...values, base });
  };
  const display = (field: string, v: string) =>
    field === 'assigneeId' ? (offered.find((o) => o.value === v)?.label ?? v)
      : field === 'dueDate' ? formatDay(v)
        : field === 'repeat' ? t(`tasks.repeats.${v}`) : v;
  return (
    <Modal opened={opened} onClose={onClose} title={task ? t('tasks.editTitle') : t('tasks.newTitle')}>
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack gap="md">
          <TextInput label={t('tasks.title')} required data-autofocus {...form.getInputProps('title')} />
          <DateField label={t('tasks.dueDate')} required={form.values.repeat !== 'none'} {...form.getInputProps('dueDate')} />
          <Select
            label={t('tasks.repeat')}
            data={REPEATS.map((r) => ({ value: r, label: t(`tasks.repeats.${r}`) }))}
            allowDeselect={false}
            description={form.values.repeat !== 'none' ? t('tasks.repeatHelp') : undefined}
            {...form.getInputProps('repeat')}
          />
          <Select
            label={t('tasks.assignee')}
            placeholder={t('tasks.unassigned')}
            description={hidden > 0 ? t('tasks.pickerHidden', { count: hidden }) : t('tasks.pickerOnly')}
            data={offered}
            searchable
            clearable
            nothingFoundMessage={t('tasks.pickerNothing')}
            {...form.getInputProps('assigneeId')}
            value={form.values.assigneeId || null}
            onChange={(v) => form.setFieldValue('assigneeId', v ?? '')}
          />
          <ConflictAlert conflicts={conflicts} label={(f) => t(f === 'assigneeId' ? 'tasks.assignee' : `tasks.${f}`)} display={display}
            loading={save.isPending} onKeepMine={() => resolve(true)} onKeepTheirs={() => resolve(false)} />
          <ModalActions onCancel={onClose} confirmLabel={t('common.save')} loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The due date cell: jj/mm/aaaa, and how late an open task is in the dossier's calendar. */
function DueCell({ task }: { task: Task }) {
  const { t } = useTranslation();
  if (!task.dueDate) return <Text c="dimmed">—</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text c={task.lateDays > 0 ? 'red' : undefined} fw={task.lateDays > 0 ? 500 : undefined} style={{ whiteSpace: 'nowrap' }}>
        {formatDay(task.dueDate)}
      </Text>
      {task.lateDays > 0 && (
        <Tooltip label={t('tasks.lateBy', { count: task.lateDays })}>
          <Badge color="red" variant="light" style={{ minWidth: 'max-content' }} aria-label={t('tasks.lateBy', { count: task.lateDays })}>
            {t('tasks.late')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

export function TasksPage() {
  const { t } = useTranslation();
  const { account, rights, organization } = useSession();
  const canManage = rights.includes('tasks.manage') && !isClosed(organization.status);
  const [status, setStatus] = useState('open');
  const [mine, setMine] = useState(false);
  const [assignee, setAssignee] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Task | null>(null);
  const [modal, { open, close }] = useDisclosure(false);
  const assignees = useOp('tasks.assignees', {});
  const input = { status: status === 'all' ? '' : status, assigneeId: mine ? account.id : (assignee ?? ''), offset: (page - 1) * PAGE, limit: PAGE };
  const list = useOp('tasks.list', input, { placeholderData: keepPreviousData });
  const toggle = useOpMutation((task: Task) => (task.status === 'done' ? 'tasks.reopen' : 'tasks.complete'), {
    input: (task) => ({ id: task.id }),
    invalidates: ['tasks.list'],
    onSuccess: (task) =>
      notifications.show({
        color: 'teal',
        message:
          task.status !== 'done'
            ? t('tasks.reopened')
            : task.nextDueDate
              ? t('tasks.completedNext', { date: formatDay(task.nextDueDate) })
              : t('tasks.completed'),
      }),
  });
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE));
  const assigneeOptions = [
    { value: 'none', label: t('tasks.unassigned') },
    ...(assignees.data?.items ?? []).filter((m) => m.id !== account.id).map((m) => ({ value: m.id, label: m.name })),
  ];

  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageHeader title={t('tasks.pageTitle')} subtitle={t('tasks.subtitle')} />
        {canManage && (
          <Button
            leftSection={<IconPlus size={18} />}
            onClick={() => {
              setEditing(null);
              open();
            }}
          >
            {t('tasks.new')}
          </Button>
        )}
      </Group>
      <Card>
        <Stack gap="md">
          <Group align="flex-end">
            <SegmentedControl
              value={status}
              onChange={(v) => {
                setStatus(v);
                setPage(1);
              }}
              data={[
                { value: 'open', label: t('tasks.statusOpen') },
                { value: 'done', label: t('tasks.statusDone') },
                { value: 'all', label: t('tasks.statusAll') },
              ]}
              aria-label={t('tasks.status')}
            />
            <SegmentedControl
              value={mine ? 'mine' : 'all'}
              onChange={(v) => {
                setMine(v === 'mine');
                setPage(1);
              }}
              data={[
                { value: 'all', label: t('tasks.scopeAll') },
                { value: 'mine', label: t('tasks.mine') },
              ]}
              aria-label={t('tasks.scope')}
            />
            {!mine && (
              <Select
                label={t('tasks.assignee')}
                placeholder={t('tasks.everyone')}
                data={assigneeOptions}
                value={assignee}
                onChange={(v) => {
                  setAssignee(v);
                  setPage(1);
                }}
                clearable
                searchable
              />
            )}
          </Group>
          <ListState loading={list.isLoading} error={list.error} empty={list.data?.items.length === 0} emptyText={t('tasks.empty')}>
            <DataTable
              label={t('tasks.pageTitle')}
              columns={[t('tasks.title'), t('tasks.dueDate'), t('tasks.assignee'), t('tasks.status'), '']}
            >
              {list.data?.items.map((task) => (
                <Table.Tr key={task.id}>
                  <Table.Td>
                    <Text fw={500} td={task.status === 'done' ? 'line-through' : undefined}>
                      {task.title}
                    </Text>
                    <Text fz="xs" c="dimmed">
                      {[task.repeat !== 'none' && t(`tasks.repeatsShort.${task.repeat}`), task.creator && t('tasks.createdBy', { name: task.creator.name })]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <DueCell task={task} />
                  </Table.Td>
                  <Table.Td>
                    {task.assignee ? (
                      <>
                        <Text>{task.assignee.name}</Text>
                        {task.assigneeAccess && (
                          <Text fz="xs" c="orange">
                            {t(`tasks.access.${task.assigneeAccess}`)}
                          </Text>
                        )}
                        {task.insteadOf && (
                          <Text fz="xs" c="dimmed">
                            {t('away.insteadOf', { name: task.insteadOf.name })}
                          </Text>
                        )}
                      </>
                    ) : (
                      <Text c="dimmed">{t('tasks.unassigned')}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={task.status === 'done' ? 'teal' : 'blue'} variant="light" style={{ minWidth: 'max-content' }}>
                      {task.status === 'done' ? t('tasks.done') : t('tasks.open')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {canManage && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Tooltip label={task.status === 'done' ? t('tasks.reopen') : t('tasks.complete')}>
                          <ActionIcon
                            variant="light"
                            color={task.status === 'done' ? 'gray' : 'teal'}
                            onClick={() => toggle.mutate(task)}
                            aria-label={`${task.status === 'done' ? t('tasks.reopen') : t('tasks.complete')} : ${task.title}`}
                          >
                            {task.status === 'done' ? <IconRotate size={18} /> : <IconCheck size={18} />}
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('tasks.edit')}>
                          <ActionIcon
                            variant="subtle"
                            onClick={() => {
                              setEditing(task);
                              open();
                            }}
                            aria-label={`${t('tasks.edit')} : ${task.title}`}
                          >
                            <IconPencil size={18} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          </ListState>
          <ListFooter count={t('tasks.count', { count: list.data?.total ?? 0 })} page={page} pages={pages} onPage={setPage} />
        </Stack>
      </Card>
      {modal && <TaskModal key={editing?.id ?? 'new'} task={editing} opened={modal} onClose={close} />}
    </>
  );
}
