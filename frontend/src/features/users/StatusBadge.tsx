import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export const STATUSES = ['invited', 'active', 'away', 'disabled', 'deleted'] as const;

/** The colour of each status, in badges and in the member list's rows. */
export const STATUS_COLORS: Record<string, string> = {
  invited: 'blue',
  active: 'teal',
  away: 'yellow',
  disabled: 'orange',
  deleted: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Badge variant="light" color={STATUS_COLORS[status] ?? 'gray'} radius="sm" tt="none">
      {t(`members.statuses.${status}`)}
    </Badge>
  );
}
