import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Box, Button, Card, Center, Group, Loader, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import type { MemberItem } from '../../api/types.gen';
import { JobProgress, useExport } from '../jobs/JobProgress';
import { PageHeader } from '../../ui/PageHeader';
import { fullName, initials, roleName } from '../../ui/names';
import { formatDay } from '../../ui/dates';
import { useNarrow } from '../../ui/DataTable';
import { errorMessage } from '../../i18n/errors';
import { useMemberList, useRoles } from './api';
import { MemberDrawer } from './MemberDrawer';
import { MemberImportButton } from './MemberImport';
import { useOpenMember } from './memberAddress';
import { InviteButton, PendingInvitations } from '../invitations/InvitationsPanel';
import { STATUSES, STATUS_COLORS } from './StatusBadge';
import css from './UsersPage.module.css';

const ROW = 64;
// In a narrow window a row is a card of two lines: name and status, then address and roles.
const NARROW_ROW = 92;
// The list fills the window below its top, down to the page's bottom padding
// (AppLayout: 40 px) and the card's border, so the page itself does not
// scroll and the members have one scrollbar; never less than five rows.
const BELOW_LIST = 42;
const MIN_LIST = 5 * ROW;

export function UsersPage() {
  const { t } = useTranslation();
  const { organization, account } = useSession();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const [status, setStatus] = useState<string | null>(null);
  const [roleId, setRoleId] = useState<string | null>(null);
  const member = useOpenMember();
  const roles = useRoles();
  const filter = { query: debounced, status: status ?? '', roleId: roleId ?? '' };
  const list = useMemberList(filter);
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total ?? 0;
  // A search or role filter stops counting past 1,000: "Plus de 1 000 membres".
  const capped = list.data?.pages[0]?.totalCapped ?? false;
  // The file holds every member the filters shown match, not only the rows
  // loaded; it is a job with its count, and the page may be left meanwhile.
  const exportCSV = useExport('members.export', () => filter);

  return (
    <>
      <PageHeader title={t('members.title')} subtitle={t('members.subtitle', { organization: organization.name })} />
      <Group justify="flex-end" mb="sm" gap="sm">
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={exportCSV.start}
          data-disabled={exportCSV.running || undefined} aria-disabled={exportCSV.running}>
          {t('members.exportCsv')}
        </Button>
        <MemberImportButton />
        <InviteButton />
      </Group>
      {exportCSV.running && (
        <Box mb="sm" maw={560} ml="auto">
          <JobProgress name="members.export" />
        </Box>
      )}
      <PendingInvitations />
      <Card padding={0}>
        <Group px="xl" py="md" gap="md" align="flex-end" wrap="wrap">
          <TextInput
            label={t('members.search')}
            placeholder={t('members.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Select
            label={t('members.status')}
            placeholder={t('members.allStatuses')}
            data={STATUSES.map((s) => ({ value: s, label: t(`members.statuses.${s}`) }))}
            value={status}
            onChange={setStatus}
            clearable
            w={180}
          />
          <Select
            label={t('members.role')}
            placeholder={t('members.allRoles')}
            data={(roles.data?.roles ?? []).map((r) => ({ value: r.id, label: roleName(t, r) }))}
            value={roleId}
            onChange={setRoleId}
            clearable
            w={200}
          />
        </Group>
        <Group px="xl" pb="sm" justify="space-between">
          <Text fw={600} c={list.isPlaceholderData ? 'dimmed' : undefined}>
            {list.isSuccess ? t(capped ? 'members.countMore' : 'members.count', { count: total }) : ' '}
          </Text>
        </Group>
        <Group px="xl" py={8} bg="gray.0" wrap="nowrap" gap="md" fz="sm" fw={600} c="dimmed" visibleFrom="sm">
          <Text inherit style={{ flex: 4 }}>{t('members.name')}</Text>
          <Text inherit style={{ flex: 3 }}>{t('members.email')}</Text>
          <Text inherit style={{ flex: 2 }}>{t('members.roles')}</Text>
          <Text inherit w={150}>{t('members.status')}</Text>
        </Group>
        {list.isPending ? (
          <Center py="xl">
            <Loader size="sm" />
          </Center>
        ) : list.isError ? (
          <Text c="red" px="xl" py="lg">
            {errorMessage(t, list.error)}
          </Text>
        ) : items.length === 0 ? (
          <Text c="dimmed" px="xl" py="xl" ta="center">
            {t('members.empty')}
          </Text>
        ) : (
          <MemberList
            // A new filter starts at the top of its results.
            key={JSON.stringify(filter)}
            items={items}
            total={capped ? -1 : total}
            meId={account.id}
            stale={list.isPlaceholderData}
            hasMore={list.hasNextPage && !list.isPlaceholderData}
            loadingMore={list.isFetchingNextPage}
            loadMore={list.fetchNextPage}
            onOpen={member.open}
          />
        )}
      </Card>
      <MemberDrawer memberId={member.openId} onClose={member.close} />
    </>
  );
}

interface MemberListProps {
  items: MemberItem[];
  /** The number of matches, -1 when the count stopped at its cap. */
  total: number;
  meId: string;
  /** The previous filter's results, shown while the new ones load. */
  stale: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => unknown;
  onOpen: (memberId: string) => void;
}

/**
 * The loaded members, virtualized: only the rows on screen (and a few around)
 * are in the DOM, whatever the size of the organization. Scrolling near the
 * end asks for the next page by cursor. Scrolling re-renders this list only,
 * not the filters above, and rows already on screen are not re-rendered.
 */
function MemberList({ items, total, meId, stale, hasMore, loadingMore, loadMore, onOpen }: MemberListProps) {
  const { t, i18n } = useTranslation();
  const labels = useMemo<RowLabels>(
    () => ({
      you: t('members.you'),
      noRole: t('members.noRole'),
      admin: t('roles.adminName'),
      statuses: Object.fromEntries(STATUSES.map((s) => [s, t(`members.statuses.${s}`)])),
      returnLine: t('away.returnLine', { date: '{{date}}', interpolation: { skipOnVariables: true } }),
    }),
    // With the language among the keys, the labels follow a language switch.
    [t, i18n.language],
  );
  const narrow = useNarrow();
  const row = narrow ? NARROW_ROW : ROW;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(560);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const fit = () => {
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeight(Math.max(MIN_LIST, Math.floor(window.innerHeight - top - BELOW_LIST)));
    };
    fit();
    // Content above may appear later (pending invitations).
    const watch = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fit);
    watch?.observe(document.body);
    window.addEventListener('resize', fit);
    return () => {
      watch?.disconnect();
      window.removeEventListener('resize', fit);
    };
  }, []);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => row,
    overscan: 6,
    initialRect: { width: 800, height },
  });
  useEffect(() => virtualizer.measure(), [virtualizer, row]);
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.length ? virtualItems[virtualItems.length - 1].index : -1;
  // The next page is asked for two screens before the end, so a steady scroll
  // does not wait on it.
  useEffect(() => {
    if (lastIndex >= items.length - 20 && hasMore && !loadingMore) void loadMore();
  }, [lastIndex, items.length, hasMore, loadingMore, loadMore]);

  // A short list ends with its last row instead of an empty box below it.
  const shown = hasMore ? height : Math.min(height, Math.max(row, virtualizer.getTotalSize()));
  return (
    <div
      ref={scrollRef}
      className={narrow ? css.narrow : undefined}
      role="list"
      aria-label={t('members.title')}
      aria-busy={loadingMore || stale}
      style={{
        height: shown,
        overflowY: 'auto',
        opacity: stale ? 0.55 : 1,
        transition: 'opacity 150ms',
      }}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualItems.map((v) => (
          <MemberRow
            key={items[v.index].id}
            member={items[v.index]}
            isMe={items[v.index].accountId === meId}
            top={v.start}
            position={v.index + 1}
            setSize={total}
            labels={labels}
            onOpen={onOpen}
          />
        ))}
      </div>
      {loadingMore && (
        <Text c="dimmed" ta="center" py="sm" size="sm">
          {t('members.loadingMore')}
        </Text>
      )}
    </div>
  );
}

interface MemberRowProps {
  member: MemberItem;
  isMe: boolean;
  top: number;
  position: number;
  setSize: number;
  labels: RowLabels;
  onOpen: (memberId: string) => void;
}

// Same colours as StatusBadge (the member's record uses that one).
/** Texts every row shows, translated once per list rather than once per row. */
interface RowLabels {
  you: string;
  noRole: string;
  admin: string;
  statuses: Record<string, string>;
  /** "retour le {{date}}" under an away member's badge. */
  returnLine: string;
}

// A row is plain elements with classes (UsersPage.module.css): a fast scroll
// mounts a dozen rows per frame, and Mantine components, inline styles and a
// useTranslation per row made up most of that work.
const MemberRow = memo(function MemberRow({ member, isMe, top, position, setSize, labels, onOpen }: MemberRowProps) {
  const deleted = member.status === 'deleted';
  return (
    <div
      role="listitem"
      tabIndex={0}
      aria-label={fullName(member)}
      aria-posinset={position}
      aria-setsize={setSize}
      onClick={() => onOpen(member.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(member.id);
        }
      }}
      className={deleted ? `${css.row} ${css.deleted}` : css.row}
      style={{ top }}
    >
      <div className={`${css.cell} ${css.person}`}>
        <div className={css.avatar} aria-hidden>
          {initials(member)}
        </div>
        <div className={css.text}>
          <div className={`${css.truncate} ${css.name} ${css.strike}`} title={fullName(member)}>
            {fullName(member)}
          </div>
          {member.jobTitle && <div className={`${css.truncate} ${css.dimmed} ${css.xsmall}`}>{member.jobTitle}</div>}
        </div>
        {isMe && (
          <span className={css.badge} data-color="gray">
            {labels.you}
          </span>
        )}
      </div>
      <div className={`${css.email} ${css.truncate} ${css.dimmed} ${css.strike}`} title={member.email}>
        {member.email}
      </div>
      <div className={`${css.cell} ${css.roles}`}>
        {member.roles.length === 0 ? (
          <span className={`${css.truncate} ${css.dimmed} ${css.small}`}>{labels.noRole}</span>
        ) : (
          member.roles.map((r) => (
            <span key={r.id} className={css.badge} data-color={r.isAdmin ? 'indigo' : 'gray'}>
              {r.isAdmin ? labels.admin : r.name}
            </span>
          ))
        )}
      </div>
      <div className={css.status}>
        <span className={css.badge} data-color={STATUS_COLORS[member.status] ?? 'gray'}>
          {labels.statuses[member.status] ?? member.status}
        </span>
        {member.away?.returnsOn && (
          <div className={`${css.dimmed} ${css.xsmall}`}>{labels.returnLine.replace('{{date}}', formatDay(member.away.returnsOn))}</div>
        )}
      </div>
    </div>
  );
});
