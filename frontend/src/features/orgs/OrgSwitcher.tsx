import { useState } from 'react';
import { Button, Divider, Loader, Menu, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBuildingSkyscraper, IconCheck, IconChevronDown, IconList, IconSearch } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { useOrgList, useSwitchOrg } from './api';

/** The organization switcher of the header: the current one, and a quick search among the others. */
export function OrgSwitcher() {
  const { t } = useTranslation();
  const { organization } = useSession();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const [search, setSearch] = useState('');
  const [name] = useDebouncedValue(search, 200);
  const list = useOrgList({ name, id: '', offset: 0, limit: 8 }, opened);
  const switchOrg = useSwitchOrg({ announce: true });

  const choose = (id: string) => {
    setOpened(false);
    if (id === organization.id) return;
    switchOrg.mutate(id);
  };

  return (
    <Menu
      opened={opened}
      onChange={setOpened}
      width={320}
      position="bottom-start"
      shadow="md"
      // A long name is cut with an ellipsis inside the menu, never past its edge.
      styles={{ itemLabel: { minWidth: 0 } }}
    >
      <Menu.Target>
        <Button
          variant="default"
          rightSection={switchOrg.isPending ? <Loader size={14} /> : <IconChevronDown size={16} />}
          leftSection={<IconBuildingSkyscraper size={18} stroke={1.6} />}
          aria-label={t('orgs.switcherLabel', { name: organization.name })}
          maw={{ base: 180, sm: 320 }}
          data-testid="org-switcher"
        >
          <Text truncate fw={500} fz="sm" title={organization.name}>
            {organization.name}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <TextInput
          placeholder={t('orgs.searchByName')}
          aria-label={t('orgs.searchByName')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          mb={6}
          data-autofocus
        />
        {list.isLoading && <Loader size="sm" m="sm" />}
        {list.data?.items.map((o) => (
          <Menu.Item
            key={o.id}
            onClick={() => choose(o.id)}
            rightSection={o.id === organization.id ? <IconCheck size={16} /> : null}
          >
            <Text fz="sm" truncate title={o.name}>
              {o.name}
            </Text>
            {o.status === 'closed' && (
              <Text fz="xs" c="dimmed">
                {t('orgs.closed')}
              </Text>
            )}
          </Menu.Item>
        ))}
        {list.data && list.data.items.length === 0 && (
          <Text c="dimmed" fz="sm" p="sm">
            {t('orgs.noMatch')}
          </Text>
        )}
        <Divider my={4} />
        <Menu.Item leftSection={<IconList size={16} />} onClick={() => navigate('/organizations')}>
          {t('orgs.seeAll', { count: list.data?.total ?? 0 })}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
