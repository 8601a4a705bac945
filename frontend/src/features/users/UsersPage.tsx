import { useEffect, useMemo, useRef, useState } from 'react';
import { Avatar, Badge, Card, Center, Group, Loader, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import type { MemberItem } from '../../api/types.gen';
import { PageHeader } from '../../ui/PageHeader';
import { fullName, initials } from '../../ui/names';
import { errorMessage } from '../../i18n/errors';
import { useMemberList, useRoles } from './api';
import { MemberDrawer } from './MemberDrawer';
import { InviteButton, PendingInvitations } from '../invitations/InvitationsPanel';
import { StatusBadge, STATUSES } from './StatusBadge';

const ROW = 64;

export function UsersPage() {
  const { t } = useTranslation();
  const { organization, account } = useSession();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const [status, setStatus] = useState<string | null>(null);
  const [roleId, setRoleId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const roles = useRoles();
  const list = useMemberList({ query: debounced, status: status ?? '', roleId: roleId ?? '' });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const total = list.data?.pages[0]?.total ?? 0;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 12,
    initialRect: { width: 800, height: 560 },
  });
  const virtualItems = virtualizer.getVirtualItems();
  const lastIndex = virtualItems.length ? virtualItems[virtualItems.length - 1].index : -1;
  useEffect(() => {
    if (lastIndex >= items.length - 20 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastIndex, items.length, list]);

  return (
    <>
      <PageHeader title={t('members.title')} subtitle={t('members.subtitle', { organization: organization.name })} />
      <Group justify="flex-end" mb="sm">
        <InviteButton />
      </Group>
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
            data={(roles.data?.roles ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={roleId}
            onChange={setRoleId}
            clearable
            w={200}
          />
        </Group>
        <Group px="xl" pb="sm" justify="space-between">
          <Text fw={600}>{list.isSuccess ? t('members.count', { count: total }) : ' '}</Text>
        </Group>
        <Group px="xl" py={8} bg="gray.0" wrap="nowrap" gap="md" fz="sm" fw={600} c="dimmed" visibleFrom="sm">
          <Text inherit style={{ flex: 2 }}>{t('members.name')}</Text>
          <Text inherit style={{ flex: 2 }}>{t('members.email')}</Text>
          <Text inherit style={{ flex: 2 }}>{t('members.roles')}</Text>
          <Text inherit w={110}>{t('members.status')}</Text>
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
          <div
            ref={scrollRef}
            role="list"
            aria-label={t('members.title')}
            style={{ height: 'min(560px, calc(100vh - 360px))', minHeight: 320, overflowY: 'auto' }}
          >
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualItems.map((v) => (
                <MemberRow
                  key={items[v.index].id}
                  member={items[v.index]}
                  isMe={items[v.index].accountId === account.id}
                  top={v.start}
                  onOpen={() => setOpenId(items[v.index].id)}
                />
              ))}
            </div>
            {list.isFetchingNextPage && (
              <Text c="dimmed" ta="center" py="sm" size="sm">
                {t('members.loadingMore')}
              </Text>
            )}
          </div>
        )}
      </Card>
      <MemberDrawer memberId={openId} onClose={() => setOpenId(null)} />
    </>
  );
}

function MemberRow({ member, isMe, top, onOpen }: { member: MemberItem; isMe: boolean; top: number; onOpen: () => void }) {
  const { t } = useTranslation();
  const deleted = member.status === 'deleted';
  const strike = deleted ? { textDecoration: 'line-through' } : undefined;
  return (
    <Group
      role="listitem"
      tabIndex={0}
      aria-label={fullName(member)}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen();
        }
      }}
      px="xl"
      gap="md"
      wrap="nowrap"
      className="member-row"
      style={{
        position: 'absolute',
        top,
        left: 0,
        right: 0,
        height: ROW,
        cursor: 'pointer',
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        opacity: deleted ? 0.6 : 1,
      }}
    >
      <Group gap="sm" wrap="nowrap" style={{ flex: 2, minWidth: 0 }}>
        <Avatar color={deleted ? 'gray' : 'indigo'} radius="xl" size={34}>
          {initials(member)}
        </Avatar>
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={500} truncate style={strike}>
            {fullName(member)}
          </Text>
          {member.jobTitle && (
            <Text size="xs" c="dimmed" truncate>
              {member.jobTitle}
            </Text>
          )}
        </Stack>
        {isMe && (
          <Badge variant="light" color="gray" radius="sm" tt="none">
            {t('members.you')}
          </Badge>
        )}
      </Group>
      <Text c="dimmed" truncate style={{ flex: 2, ...strike }}>
        {member.email}
      </Text>
      <Group gap={4} style={{ flex: 2, minWidth: 0 }} wrap="nowrap">
        {member.roles.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('members.noRole')}
          </Text>
        ) : (
          member.roles.map((r) => (
            <Badge key={r.id} variant="light" color={r.isAdmin ? 'indigo' : 'gray'} radius="sm" tt="none">
              {r.name}
            </Badge>
          ))
        )}
      </Group>
      <div style={{ width: 110 }}>
        <StatusBadge status={member.status} />
      </div>
    </Group>
  );
}
