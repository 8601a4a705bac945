import { AppShell, Box, Burger, Group, NavLink, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useFollowChanges } from '../../api/live';
import { useSession } from '../../api/queries';
import { Brand } from '../../ui/Brand';
import { UserMenu } from './UserMenu';
import { SyncStatus } from '../sync/SyncStatus';
import { OrgSwitcher } from '../orgs/OrgSwitcher';
import { ClosedBanner } from '../orgs/ClosedBanner';
import { pagesFor } from './pages';
import { UnsavedGuard } from '../../ui/unsaved';

export function AppLayout() {
  const { t } = useTranslation();
  const { rights, isAdmin, organization, applicationsOffered } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const { pathname } = useLocation();
  // What another window or a colleague changes shows here without a reload.
  useFollowChanges();

  const items = pagesFor({ rights, isAdmin, applicationsOffered }, Boolean(organization?.id));

  return (
    <AppShell
      header={{ height: 64 }}
      // Narrower menu and margins until 1200 px, so lists keep their columns at 1024 px.
      navbar={{ width: { sm: 220, lg: 248 }, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'lg', lg: 40 }}
    >
      <AppShell.Header>
        <Group h="100%" px={{ base: 'sm', sm: 'lg' }} justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.openMenu')} />
            {/* On a phone the dossier and the account's menu need the room. */}
            <Box visibleFrom="xs">
              <Brand />
            </Box>
            <OrgSwitcher />
          </Group>
          <Group gap="lg" wrap="nowrap"><SyncStatus /><UserMenu /></Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="md" component="nav" aria-label={t('shell.menu')}>
        <ScrollArea>
          {items.map((item) => (
            <NavLink
              key={item.path}
              component={RouterLink}
              to={item.path}
              label={t(item.label)}
              leftSection={<item.icon size={20} stroke={1.6} />}
              active={pathname.startsWith(item.path)}
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
        <UnsavedGuard />
      </AppShell.Main>
    </AppShell>
  );
}
