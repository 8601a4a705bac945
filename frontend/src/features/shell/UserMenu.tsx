import { Avatar, Box, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { fullName, initials } from '../../ui/names';
import { useSignOut } from './useSignOut';

export function UserMenu() {
  const { t } = useTranslation();
  const { account, organization } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const name = fullName(account);

  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('shell.userMenu')} px="xs" py={6} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          <Group gap="sm" wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={38}>
              {initials(account)}
            </Avatar>
            <Box visibleFrom="xs" style={{ lineHeight: 1.2, textAlign: 'left' }}>
              <Text fw={600} fz="sm">
                {name}
              </Text>
              <Text c="dimmed" fz="xs">
                {organization.name}
              </Text>
            </Box>
            <IconChevronDown size={16} stroke={1.6} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconUserCircle size={18} />} onClick={() => navigate('/account')}>
          {t('shell.account')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={18} />} color="red.9" onClick={() => signOut.mutate({})}>
          {t('shell.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
