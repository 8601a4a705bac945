import { useState } from 'react';
import { Alert, Button, Card, Group, Loader, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPencil, IconRefresh, IconTrash } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import i18n from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError, conflictsOf } from '../../api/errors';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call } from '../../api/client';
import { invalidateOps, useOp, useOpMutation } from '../../api/ops';
import type { FieldConflict, RefusedChange, RefusedRef } from '../../api/types.gen';
import { failureText } from '../../i18n/errors';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { FormError } from '../../ui/FormError';
import { ModalActions } from '../../ui/ModalActions';
import { PageHeader } from '../../ui/PageHeader';
import { opLabel } from './words';
import { formatDay, useLocalDates } from '../../ui/dates';

const stale = ['sync.refused', 'sync.status'] as const;

/** Why the server refused, in the words of any error of the console. */
export function reasonText(t: Parameters<typeof failureText>[0], c: RefusedChange): string {
  const r = c.reason as { code?: string; message?: string; fields?: Record<string, string> } | undefined;
  return failureText(t, new ApiError(r?.code ?? 'internal', r?.message ?? '', r?.fields ?? {})) ?? t('errors.generic');
}

/** The texts of an input a person may correct: its top-level strings, ids left out. */
export function editableFields(input: unknown): string[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [];
  return Object.entries(input as Record<string, unknown>)
    .filter(([k, v]) => typeof v === 'string' && k !== 'id' && !/Id$/.test(k))
    .map(([k]) => k);
}

/** The change's first text, to tell two alike apart ("Relance client"). */
export function summaryOf(input: unknown): string {
  const f = editableFields(input).find((k) => String((input as Record<string, unknown>)[k]).trim() !== '');
  return f ? String((input as Record<string, unknown>)[f]) : '';
}

/** A field's name as the history writes it (an input's jobTitle is its job_title column there). */
function fieldLabel(t: (k: string) => string, key: string): string {
  const column = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const found = [key, column].find((k) => i18n.exists(`history.field.${k}`));
  return found ? t(`history.field.${found}`) : key;
}

/**
 * Both values of each field of a conflict, as the forms show them: a person
 * by name (read in the change's own dossier), a day as jj/mm/aaaa.
 */
function ConflictLines({ change }: { change: RefusedChange }) {
  const { t } = useTranslation();
  const conflicts = conflictsOf(change.reason);
  const names = conflicts.some((f) => f.field.endsWith('Id'));
  const people = useQuery({
    queryKey: ['refused-people', change.orgId],
    queryFn: () => call('orgs.members', {}, { org: change.orgId }),
    enabled: names,
    retry: false,
  });
  const shown = (field: string, v: string) => {
    if (v === '') return t('conflict.empty');
    if (field.endsWith('Id')) return people.data?.items.find((p) => p.id === v)?.name ?? t('conflict.someone');
    if (field === 'dueDate') return formatDay(v);
    if (field === 'repeat' && i18n.exists(`tasks.repeats.${v}`)) return t(`tasks.repeats.${v}`);
    return v;
  };
  return (
    <Stack gap={4}>
      {conflicts.map((f) => (
        <Text size="sm" key={f.field} data-testid="conflict">
          <b>{fieldLabel(t, f.field)}</b> : {t('conflict.values', { theirs: shown(f.field, f.theirs), mine: shown(f.field, f.mine) })}
        </Text>
      ))}
    </Stack>
  );
}

/** The change's input sent again over the values saved now: its base takes them. */
export function keepingMine(input: unknown, conflicts: readonly FieldConflict[]): Record<string, unknown> {
  const original = (input ?? {}) as Record<string, unknown>;
  const base = { ...((original.base as Record<string, string> | undefined) ?? {}) };
  for (const c of conflicts) base[c.field] = c.theirs;
  return { ...original, base };
}

/**
 * "Modifications refusées", in the desktop connected to a server: each change
 * the server refused, what was attempted, by whom, when and why, with what
 * can be done: correct it and send it again, send it again as it is, or
 * discard it (asked first; written in the organization's history). A change
 * refused because someone changed the same fields meanwhile (a conflict)
 * shows both values of each, to keep mine (sent again over the value saved
 * now) or the other (the change is discarded).
 */
export function RefusedChangesPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const list = useOp('sync.refused', {});
  const [editing, setEditing] = useState<RefusedChange | null>(null);
  const [discarding, setDiscarding] = useState<RefusedChange | null>(null);
  const retry = useOpMutation('sync.retry', {
    notify: false,
    invalidates: stale,
    onSuccess: () => {
      setEditing(null);
      notifications.show({ color: 'teal', message: t('sync.refused.retried') });
    },
  });
  // A discard acts in the organization the change was made in, whichever
  // dossier the window shows: it is written in that one's history.
  const discard = useMutation<RefusedRef, ApiError, RefusedChange>({
    mutationFn: (c) => call('sync.discard', { id: c.id }, { org: c.orgId }),
    onSuccess: async () => {
      setDiscarding(null);
      notifications.show({ color: 'teal', message: t('sync.refused.discarded') });
      await invalidateOps(client, stale);
    },
  });
  const dates = useLocalDates();
  const changes = list.data?.changes ?? [];
  return (
    <>
      <PageHeader title={t('sync.refused.title')} subtitle={t('sync.refused.subtitle')} />
      <Stack>
        {list.isPending && <Loader />}
        {list.isError && <Alert color="red">{failureText(t, list.error)}</Alert>}
        {retry.errorText && !editing && <Alert color="red">{retry.errorText}</Alert>}
        {discard.error && !discarding && <Alert color="red">{failureText(t, discard.error)}</Alert>}
        {list.isSuccess && !changes.length && (
          <Card>
            <Text c="dimmed">{t('sync.refused.empty')}</Text>
          </Card>
        )}
        {changes.length > 0 && (
          <Card p={0}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sync.refused.what')}</Table.Th>
                  <Table.Th>{t('sync.refused.by')}</Table.Th>
                  <Table.Th>{t('sync.refused.when')}</Table.Th>
                  <Table.Th>{t('sync.refused.why')}</Table.Th>
                  <Table.Th ta="right">{t('sync.refused.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {changes.map((c) => (
                  <Table.Tr key={c.id} data-testid="refused-row">
                    <Table.Td>
                      <Text size="sm" fw={500}>{opLabel(t, c.op)}</Text>
                      {summaryOf(c.input) && <Text size="sm" c="dimmed">« {summaryOf(c.input)} »</Text>}
                    </Table.Td>
                    <Table.Td>{c.by}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{dates.dateTime(c.madeAt)}</Table.Td>
                    <Table.Td>
                      {conflictsOf(c.reason).length > 0 ? (
                        <ConflictLines change={c} />
                      ) : (
                        <Text size="sm">{reasonText(t, c)}</Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {conflictsOf(c.reason).length > 0 ? (
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <Button size="xs" variant="light" loading={retry.isPending && retry.variables?.id === c.id}
                            onClick={() => retry.mutate({ id: c.id, input: keepingMine(c.input, conflictsOf(c.reason)) })}>
                            {t('conflict.keepMine')}
                          </Button>
                          <Button size="xs" variant="subtle" loading={discard.isPending && discard.variables?.id === c.id}
                            onClick={() => discard.mutate(c)}>
                            {t('conflict.keepOther')}
                          </Button>
                        </Group>
                      ) : (
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {editableFields(c.input).length > 0 ? (
                          <Button size="xs" variant="light" leftSection={<IconPencil size={16} />} onClick={() => { retry.reset(); setEditing(c); }}>
                            {t('sync.refused.edit')}
                          </Button>
                        ) : (
                          <Button size="xs" variant="light" leftSection={<IconRefresh size={16} />}
                            loading={retry.isPending && retry.variables?.id === c.id} onClick={() => retry.mutate({ id: c.id, input: c.input })}>
                            {t('sync.refused.retry')}
                          </Button>
                        )}
                        <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => { discard.reset(); setDiscarding(c); }}>
                          {t('sync.refused.discard')}
                        </Button>
                      </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        )}
      </Stack>
      {editing && (
        <EditModal change={editing} error={retry.errorText} loading={retry.isPending} onClose={() => setEditing(null)}
          onSend={(input) => retry.mutate({ id: editing.id, input })} />
      )}
      <ConfirmModal
        opened={discarding !== null}
        onClose={() => setDiscarding(null)}
        title={t('sync.refused.discardTitle')}
        error={discard.error ? failureText(t, discard.error) : null}
        confirmLabel={t('sync.refused.discardConfirm')}
        color="red"
        loading={discard.isPending}
        onConfirm={() => discarding && discard.mutate(discarding)}
      >
        {discarding ? t('sync.refused.discardText', { what: opLabel(t, discarding.op) }) : ''}
      </ConfirmModal>
    </>
  );
}

/** The refused change's texts in a simple form, sent again as a new change. */
function EditModal({ change, error, loading, onClose, onSend }: {
  change: RefusedChange;
  error: string | null;
  loading: boolean;
  onClose: () => void;
  onSend: (input: Record<string, unknown>) => void;
}) {
  const { t } = useTranslation();
  const original = change.input as Record<string, unknown>;
  const fields = editableFields(original);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f, String(original[f])])));
  const badField = (change.reason as { fields?: Record<string, string> } | undefined)?.fields ?? {};
  return (
    <Modal opened onClose={onClose} title={`${t('sync.refused.editTitle')} — ${opLabel(t, change.op)}`} size="lg">
      <form noValidate onSubmit={(e) => { e.preventDefault(); onSend({ ...original, ...values }); }}>
        <Stack>
          <Text size="sm">{t('sync.refused.editIntro')}</Text>
          <Alert color="red" variant="light">{reasonText(t, change)}</Alert>
          <FormError message={error} />
          {fields.map((f, i) => (
            <TextInput key={f} label={fieldLabel(t, f)} value={values[f]} data-autofocus={i === 0 || undefined}
              error={badField[f] ? true : undefined}
              onChange={(e) => { const v = e.currentTarget.value; setValues((old) => ({ ...old, [f]: v })); }} />
          ))}
          <ModalActions onCancel={onClose} confirmLabel={t('sync.refused.send')} loading={loading} />
        </Stack>
      </form>
    </Modal>
  );
}
