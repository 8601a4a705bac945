import { AppShell, Burger, Group, NavLink, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconHistory, IconMail } from '@tabler/icons-react';
import { IconApps, IconLayoutGrid, IconShieldLock } from '@tabler/icons-react';
import { IconBuilding, IconBuildingSkyscraper, IconChecklist, IconUserCircle, IconUsers } from '@tabler/icons-react';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { Brand } from '../../ui/Brand';
import { UserMenu } from './UserMenu';
import { OrgSwitcher } from '../orgs/OrgSwitcher';
import { ClosedBanner } from '../orgs/ClosedBanner';

export function AppLayout() {
  const { t } = useTranslation();
  const { rights, isAdmin, organization } = useSession();
  const canViewMembers = isAdmin || rights.includes('members.view');
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();

  // Without an organization (the last one deleted), only the account and the
  // list where a new organization can be created make sense.
  const withoutOrg = new Set(['/account', '/organizations']);
  const items = [
    { to: '/account', label: t('shell.account'), icon: IconUserCircle, show: true },
    { to: '/company', label: t('shell.company'), icon: IconBuilding, show: true },
    { to: '/tasks', label: t('shell.tasks'), icon: IconChecklist, show: rights.includes('tasks.view') },
    { to: '/organizations', label: t('shell.organizations'), icon: IconBuildingSkyscraper, show: true },
    { to: '/my-applications', label: t('apps.mine.title'), icon: IconLayoutGrid, show: true },
    { to: '/users', label: t('shell.users'), icon: IconUsers, show: canViewMembers },
    { to: '/roles', label: t('roles.title'), icon: IconShieldLock, show: canViewMembers },
    { to: '/applications', label: t('apps.title'), icon: IconApps, show: canViewMembers },
    { to: '/history', label: t('history.menu'), icon: IconHistory, show: rights.includes('audit.view') },
    { to: '/outbox', label: t('outbox.menu'), icon: IconMail, show: rights.includes('org.edit') },
  ].filter((i) => i.show && (organization?.id || withoutOrg.has(i.to)));

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 40 }}
    >
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.openMenu')} />
            <Brand />
            <OrgSwitcher />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="md" component="nav" aria-label={t('shell.menu')}>
        <ScrollArea>
          {items.map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              label={item.label}
              leftSection={<item.icon size={20} stroke={1.6} />}
              active={pathname.startsWith(item.to)}
              onClick={close}
              variant="light"
              fw={500}
              py={10}
              mb={4}
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <div style={{ maxWidth: 880 }}>
          <ClosedBanner />
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
