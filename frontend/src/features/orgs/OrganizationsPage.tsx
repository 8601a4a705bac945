import { useState, type ReactNode } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconPlus, IconSearch, IconSelector } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { PageHeader } from '../../ui/PageHeader';
import { SuspendedNotice } from './SuspendedNotice';
import { DataTable, ListState } from '../../ui/DataTable';
import { useOrgList, useSwitchOrg } from './api';
import { CreateOrgModal } from './CreateOrgModal';
import { ListFooter } from '../../ui/ListFooter';
import { byNameOrId, formatSiret } from './format';
import { formatInstant } from '../../ui/dates';

const PAGE = 25;

/** The columns the list can be sorted by, as orgs.list names them. */
type SortKey = 'name' | 'status' | 'members' | 'roles' | 'openTasks' | 'activity';

/** Counts and dates are most useful largest or newest first. */
const firstDesc: Record<SortKey, boolean> = { name: false, status: false, members: true, roles: false, openTasks: true, activity: true };

export function OrganizationsPage() {
  const { t, i18n } = useTranslation();
  // Someone whose access is suspended is told whom to ask, not invited to start an organization of their own.
  const suspended = (useSession().suspended ?? []).length > 0;
  const [name, setName] = useState('');
  const [page, setPage] = useState(1);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'name', desc: false });
  const [filter] = useDebouncedValue(name, 250);
  const list = useOrgList({ ...byNameOrId(filter), offset: (page - 1) * PAGE, limit: PAGE, sort: sort.key, desc: sort.desc });
  const switchOrg = useSwitchOrg({ announce: true });
  const [creating, { open, close }] = useDisclosure(false);
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE));

  const sortBy = (key: SortKey) => {
    setSort((s) => (s.key === key ? { key, desc: !s.desc } : { key, desc: firstDesc[key] }));
    setPage(1);
  };
  const header = (key: SortKey, label: string): ReactNode => {
    const active = sort.key === key;
    const Icon = !active ? IconSelector : sort.desc ? IconArrowDown : IconArrowUp;
    return (
      <UnstyledButton
        onClick={() => sortBy(key)}
        aria-label={t('orgs.sortBy', { column: label })}
        aria-pressed={active}
        data-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}
      >
        <Group gap={4} wrap="nowrap">
          <Text fw={700} fz="sm">
            {label}
          </Text>
          <Icon size={14} stroke={1.6} aria-hidden />
        </Group>
      </UnstyledButton>
    );
  };

  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageHeader title={t('orgs.title')} subtitle={t('orgs.subtitle')} />
        {!suspended && (
          <Button leftSection={<IconPlus size={18} />} onClick={open}>
            {t('orgs.create')}
          </Button>
        )}
      </Group>
      <SuspendedNotice />
      {/* Seven columns, the last one's badge or button whole, within the console's width. */}
      <Card padding="md">
        <Stack gap="md">
          <TextInput
            label={t('orgs.filterName')}
            description={t('orgs.filterNameHint')}
            leftSection={<IconSearch size={16} />}
            maw={420}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setPage(1);
            }}
          />
          <ListState
            loading={list.isLoading}
            error={list.error}
            empty={list.data?.items.length === 0}
            emptyText={name ? t('orgs.noMatch') : t('orgs.empty')}
          >
            <DataTable
              label={t('orgs.title')}
              minWidth={740}
              labels={[
                t('orgs.colName'), t('orgs.colStatus'), t('orgs.colMembers'), t('orgs.colRoles'), t('orgs.colOpenTasks'), t('orgs.colActivity'), '',
              ]}
              columns={[
                header('name', t('orgs.colName')),
                header('status', t('orgs.colStatus')),
                header('members', t('orgs.colMembers')),
                header('roles', t('orgs.colRoles')),
                header('openTasks', t('orgs.colOpenTasks')),
                header('activity', t('orgs.colActivity')),
                '',
              ]}
              highlightOnHover
            >
              {list.data?.items.map((o) => (
                <Table.Tr key={o.id} data-org-id={o.id}>
                  <Table.Td maw={190}>
                    <Text fw={500} truncate title={o.name}>
                      {o.name}
                    </Text>
                    {o.legalName !== o.name && (
                      <Text fz="xs" c="dimmed" truncate title={o.legalName}>
                        {o.legalName}
                      </Text>
                    )}
                    {o.siret && (
                      <Text fz="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {t('orgs.siret', { siret: formatSiret(o.siret) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge color={o.status === 'closed' ? 'orange' : 'teal'} variant="light" style={{ minWidth: 'max-content' }}>
                      {o.status === 'closed' ? t('orgs.closed') : t('orgs.active')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{o.members.toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>
                    {o.roles.length ? (
                      <Text fz="sm">{o.roles.join(', ')}</Text>
                    ) : (
                      <Text fz="sm" c="dimmed">
                        {t('orgs.noRole')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{o.openTasks.toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {o.lastActivity ? formatInstant(o.lastActivity, { timeZone: o.timezone, show: 'date' }) : <Text c="dimmed">—</Text>}
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    {o.current ? (
                      <Badge variant="light" style={{ minWidth: 'max-content' }} title={t('orgs.current')}>
                        {t('orgs.currentShort')}
                      </Badge>
                    ) : (
                      <Button
                        size="xs"
                        variant="light"
                        loading={switchOrg.isPending && switchOrg.variables === o.id}
                        onClick={() => switchOrg.mutate(o.id)}
                        aria-label={t('orgs.openNamed', { name: o.name })}
                      >
                        {t('orgs.open')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          </ListState>
          <ListFooter count={t('orgs.count', { count: list.data?.total ?? 0 })} page={page} pages={pages} onPage={setPage} />
        </Stack>
      </Card>
      <CreateOrgModal opened={creating} onClose={close} onCreated={close} />
    </>
  );
}
