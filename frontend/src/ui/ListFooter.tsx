import { Group, Pagination, Text } from '@mantine/core';

/** Below a paged list: how many items it holds, and the pages when there are several. */
export function ListFooter({ count, page, pages, onPage }: { count: string; page: number; pages: number; onPage: (page: number) => void }) {
  return (
    <Group justify="space-between">
      <Text c="dimmed" fz="sm">
        {count}
      </Text>
      {pages > 1 && <Pagination total={pages} value={page} onChange={onPage} />}
    </Group>
  );
}
