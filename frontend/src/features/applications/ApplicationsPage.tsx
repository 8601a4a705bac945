import { Alert, Badge, Card, Group, Loader, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { errorMessage } from '../../i18n/errors';
import { PageHeader } from '../../ui/PageHeader';
import { fullName } from '../../ui/names';
import { memberKeys, useHasRight, useMemberMutation, useText } from '../users/api';

export function ApplicationsPage() {
  const { t } = useTranslation();
  const text = useText();
  const has = useHasRight();
  const apps = useQuery({ queryKey: memberKeys.apps, queryFn: () => call('applications.list', {}) });
  const set = useMemberMutation((input: { application: string; enabled: boolean }) => call('applications.setEnabled', input));
  const canManage = has('applications.manage');
  return (
    <>
      <PageHeader title={t('apps.title')} subtitle={t('apps.subtitle')} />
      {apps.isPending ? (
        <Loader size="sm" />
      ) : apps.isError ? (
        <Alert color="red">{errorMessage(t, apps.error)}</Alert>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {apps.data.applications.map((a) => (
            <Card key={a.key} component="section" aria-label={text(a.name)}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={2}>
                  <Title order={2} fz={18}>
                    {text(a.name)}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {text(a.description)}
                  </Text>
                </Stack>
                <Switch
                  aria-label={t('apps.enabledFor', { name: text(a.name) })}
                  label={a.enabled ? t('apps.enabled') : t('apps.disabled')}
                  checked={a.enabled}
                  disabled={!canManage || set.isPending}
                  onChange={(e) =>
                    set.mutate(
                      { application: a.key, enabled: e.currentTarget.checked },
                      { onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) }) },
                    )
                  }
                />
              </Group>
              <Text size="sm" fw={600} mt="md">
                {t('apps.users', { count: a.users.length })}
              </Text>
              <Group gap={6} mt={6}>
                {a.users.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('apps.noUsers')}
                  </Text>
                ) : (
                  a.users.map((u) => (
                    <Badge key={u.memberId} variant="light" color={u.status === 'active' ? 'indigo' : 'gray'} radius="sm" tt="none">
                      {fullName({ ...u, email: '' })}
                    </Badge>
                  ))
                )}
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
    </>
  );
}

/** The applications a member uses, with switches (inside the member's record). */
export function MemberApplications({ memberId, granted }: { memberId: string; granted: string[] }) {
  const { t } = useTranslation();
  const text = useText();
  const apps = useQuery({ queryKey: memberKeys.apps, queryFn: () => call('applications.list', {}) });
  const grant = useMemberMutation((input: { application: string; granted: boolean }) => call('applications.grant', { memberId, ...input }));
  const enabled = apps.data?.applications.filter((a) => a.enabled) ?? [];
  return (
    <Stack gap={6}>
      <Title order={3} fz={16}>
        {t('apps.memberTitle')}
      </Title>
      {enabled.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('apps.noneEnabled')}
        </Text>
      )}
      {enabled.map((a) => (
        <Switch
          key={a.key}
          label={text(a.name)}
          checked={granted.includes(a.key)}
          disabled={grant.isPending}
          onChange={(e) =>
            grant.mutate(
              { application: a.key, granted: e.currentTarget.checked },
              { onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) }) },
            )
          }
        />
      ))}
    </Stack>
  );
}
