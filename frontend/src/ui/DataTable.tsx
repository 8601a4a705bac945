import type { ReactNode } from 'react';
import { Center, Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/errors';

interface TableProps {
  /** The table's accessible name. */
  label: string;
  /** The header cells, in order ('' for a column without a title). */
  columns: ReactNode[];
  /** The rows: Table.Tr elements. */
  children: ReactNode;
  highlightOnHover?: boolean;
  /** Scrolls sideways below this width rather than squeezing its columns. */
  minWidth?: number;
}

/** A table of records: its header row and its rows. */
export function DataTable({ label, columns, children, highlightOnHover, minWidth }: TableProps) {
  const table = (
    <Table verticalSpacing="sm" highlightOnHover={highlightOnHover} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c, i) => (
            <Table.Th key={i}>{c}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>{children}</Table.Tbody>
    </Table>
  );
  return minWidth ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table;
}

interface StateProps {
  /** Nothing to show yet. */
  loading: boolean;
  error?: unknown;
  /** Loaded, and nothing matches. */
  empty: boolean;
  emptyText: string;
  children: ReactNode;
}

/** A list's loader, its failure or its "nothing here" sentence, else the list itself. */
export function ListState({ loading, error, empty, emptyText, children }: StateProps) {
  const { t } = useTranslation();
  if (loading) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  if (error) return <Text c="red">{errorMessage(t, error)}</Text>;
  if (empty) {
    return (
      <Text c="dimmed" ta="center" p="xl">
        {emptyText}
      </Text>
    );
  }
  return <>{children}</>;
}
