import { useEffect, useRef } from 'react';
import { Alert, Button, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FieldConflict } from '../api/types.gen';

/**
 * What a form sends again once a conflict is settled: its base takes the
 * values saved now (keep mine: sent over them); keeping the current ones
 * also puts them in the fields, the rest of the form sent as it is.
 */
export function settle<S extends object, V extends object>(shown: S, values: V, conflicts: readonly FieldConflict[], keepMine: boolean): { base: S; values: V } {
  const base = { ...shown } as Record<string, unknown>;
  const next = { ...values } as Record<string, unknown>;
  for (const c of conflicts) {
    base[c.field] = c.theirs;
    if (!keepMine) next[c.field] = c.theirs;
  }
  return { base: base as S, values: next as V };
}

/**
 * An edit refused because someone changed the same fields in the meantime
 * (a conflict): for each field, the value saved now and the person's own, in
 * plain words, and the two ways out: keep mine (sent again over the value
 * saved now) or keep the current value.
 */
export function ConflictAlert({ conflicts, label, display, loading, onKeepMine, onKeepTheirs, keepTheirsLabel }: {
  conflicts: readonly FieldConflict[];
  /** The field's name as the form shows it. */
  label: (field: string) => string;
  /** A value as the form shows it (a person's name for an id); the value itself by default. */
  display?: (field: string, value: string) => string;
  loading?: boolean;
  onKeepMine: () => void;
  onKeepTheirs: () => void;
  /** "Garder l'actuelle" by default. */
  keepTheirsLabel?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflicts.length) ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [conflicts]);
  if (!conflicts.length) return null;
  const shown = (field: string, v: string) => (v === '' ? t('conflict.empty') : display ? display(field, v) : v);
  return (
    <Alert ref={ref} role="alert" color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title={t('conflict.title')}>
      <Stack gap="xs">
        <List size="sm" spacing={4}>
          {conflicts.map((c) => (
            <List.Item key={c.field}>
              <Text size="sm" span fw={600}>{label(c.field)}</Text>{' '}
              <Text size="sm" span>{t('conflict.values', { theirs: shown(c.field, c.theirs), mine: shown(c.field, c.mine) })}</Text>
            </List.Item>
          ))}
        </List>
        <Group gap="xs">
          <Button size="xs" loading={loading} onClick={onKeepMine}>{t('conflict.keepMine')}</Button>
          <Button size="xs" variant="default" disabled={loading} onClick={onKeepTheirs}>{keepTheirsLabel ?? t('conflict.keepTheirs')}</Button>
        </Group>
      </Stack>
    </Alert>
  );
}
