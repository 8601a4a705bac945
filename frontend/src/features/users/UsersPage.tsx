import { Avatar, Badge, Card, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { PageHeader } from '../../ui/PageHeader';
import { fullName, initials } from '../../ui/names';

export function UsersPage() {
  const { t } = useTranslation();
  const { account, organization, isAdmin } = useSession();
  const members = [{ account, isAdmin, isMe: true }];
  return (
    <>
      <PageHeader title={t('users.title')} subtitle={t('users.subtitle', { organization: organization.name })} />
      <Card padding={0}>
        <Group px="xl" py="md" justify="space-between">
          <Text fw={600}>{t('users.count', { count: members.length })}</Text>
        </Group>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="md" horizontalSpacing="xl" highlightOnHover>
            <Table.Thead bg="gray.0">
              <Table.Tr>
                <Table.Th>{t('users.name')}</Table.Th>
                <Table.Th>{t('users.email')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.account.id}>
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      <Avatar color="indigo" radius="xl" size={34}>
                        {initials(m.account)}
                      </Avatar>
                      <Text fw={500}>{fullName(m.account)}</Text>
                      {m.isMe && (
                        <Badge variant="light" color="gray" radius="sm" tt="none">
                          {t('users.you')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text c="dimmed">{m.account.email}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={m.isAdmin ? 'indigo' : 'gray'} radius="sm" tt="none">
                      {m.isAdmin ? t('users.admin') : t('users.member')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </>
  );
}
