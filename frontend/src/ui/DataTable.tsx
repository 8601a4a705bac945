import { Children, cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';
import { Center, Loader, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../i18n/errors';
import classes from './DataTable.module.css';

/**
 * A window narrower than this (a phone, a half-screen window) shows lists as
 * cards and folds the menu: the shell's navbar uses the same breakpoint (sm).
 */
export const NARROW_QUERY = '(max-width: 48em)';

/** Whether the window is narrow (see NARROW_QUERY); read at once, so a list does not flash as a table first. */
export function useNarrow(): boolean {
  return useMediaQuery(NARROW_QUERY, false, { getInitialValueInEffect: false }) ?? false;
}

interface TableProps {
  /** The table's accessible name. */
  label: string;
  /** The header cells, in order ('' for a column without a title). */
  columns: ReactNode[];
  /** The rows: Table.Tr elements. */
  children: ReactNode;
  highlightOnHover?: boolean;
  striped?: boolean;
  /** Tighter rows, for long lists read line by line (the history). */
  compact?: boolean;
  /** Scrolls sideways below this width rather than squeezing its columns. */
  minWidth?: number;
  /**
   * The columns' names as each card writes them above its value, when the
   * header cells are not plain text (a sort button); '' for none.
   */
  labels?: string[];
}

/** Each cell of a row is told its column's name, which a card writes above the value. */
function labelCells(rows: ReactNode, labels: string[]): ReactNode {
  return Children.map(rows, (row) => {
    if (!isValidElement<{ children?: ReactNode }>(row)) return row;
    let i = 0;
    const cells = Children.map(row.props.children, (cell) => {
      if (!isValidElement(cell)) return cell;
      const name = labels[i++];
      return name ? cloneElement(cell as ReactElement<Record<string, unknown>>, { 'data-label': name }) : cell;
    });
    return cloneElement(row, {}, cells);
  });
}

/**
 * A table of records: its header row and its rows. In a narrow window each
 * row is a card, its cells one under the other with their column's name, so
 * every list reads on a phone without scrolling sideways; header cells that
 * do something (sorting) stay above the cards.
 */
export function DataTable({ label, columns, children, highlightOnHover, striped, compact, minWidth, labels }: TableProps) {
  const narrow = useNarrow();
  if (narrow) {
    const names = labels ?? columns.map((c) => (typeof c === 'string' ? c : ''));
    const actions = columns.some((c) => c !== '' && typeof c !== 'string');
    return (
      <Table aria-label={label} className={classes.cards} data-cards data-header={actions ? 'actions' : 'none'}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i}>{c}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{labelCells(children, names)}</Table.Tbody>
      </Table>
    );
  }
  const table = (
    <Table verticalSpacing={compact ? 'xs' : 'sm'} striped={striped} highlightOnHover={highlightOnHover} aria-label={label}>
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
