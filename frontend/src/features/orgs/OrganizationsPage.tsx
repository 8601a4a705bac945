import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { DataTable, ListState } from '../../ui/DataTable';
import { timeZoneLabel } from '../../ui/timezones';
import { useOrgList, useSwitchOrg } from './api';
import { CreateOrgModal } from './CreateOrgModal';
import { ListFooter } from '../../ui/ListFooter';

const PAGE = 25;

export function OrganizationsPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [page, setPage] = useState(1);
  const [filter] = useDebouncedValue({ name, id }, 250);
  const list = useOrgList({ name: filter.name, id: filter.id, offset: (page - 1) * PAGE, limit: PAGE });
  const switchOrg = useSwitchOrg({ announce: true });
  const [creating, { open, close }] = useDisclosure(false);
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE));


  return (
    <>
      <Group justify="space-between" align="flex-start">
        <PageHeader title={t('orgs.title')} subtitle={t('orgs.subtitle')} />
        <Button leftSection={<IconPlus size={18} />} onClick={open}>
          {t('orgs.create')}
        </Button>
      </Group>
      <Card>
        <Stack gap="md">
          <Group grow align="flex-end">
            <TextInput
              label={t('orgs.filterName')}
              description={t('orgs.filterNameHint')}
              leftSection={<IconSearch size={16} />}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                setPage(1);
              }}
            />
            <TextInput
              label={t('orgs.filterId')}
              description={t('orgs.filterIdHint')}
              value={id}
              onChange={(e) => {
                setId(e.currentTarget.value);
                setPage(1);
              }}
            />
          </Group>
          <ListState
            loading={list.isLoading}
            error={list.error}
            empty={list.data?.items.length === 0}
            emptyText={name || id ? t('orgs.noMatch') : t('orgs.empty')}
          >
            <DataTable label={t('orgs.title')} columns={[t('orgs.name'), t('orgs.timezone'), t('orgs.id'), '']} highlightOnHover>
              {list.data?.items.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Group gap="xs">
                      <Text fw={500}>{o.name}</Text>
                      {o.status === 'closed' && (
                        <Badge color="orange" variant="light">
                          {t('orgs.closed')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{timeZoneLabel(o.timezone)}</Table.Td>
                  <Table.Td>
                    <Text ff="monospace" fz="xs" c="dimmed">
                      {o.id}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    {o.current ? (
                      <Badge variant="light">{t('orgs.current')}</Badge>
                    ) : (
                      <Button size="xs" variant="light" onClick={() => switchOrg.mutate(o.id)} aria-label={t('orgs.openNamed', { name: o.name })}>
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
