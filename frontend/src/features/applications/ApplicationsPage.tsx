import { Alert, Badge, Card, Group, Loader, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOp } from '../../api/ops';
import { useCanWrite } from '../../api/rights';
import { errorMessage } from '../../i18n/errors';
import { PageHeader } from '../../ui/PageHeader';
import { fullName } from '../../ui/names';
import { useText } from '../../ui/text';
import { useMemberMutation } from '../users/api';

export function ApplicationsPage() {
  const { t } = useTranslation();
  const text = useText();
  const has = useCanWrite();
  const apps = useOp('applications.list', {});
  const set = useMemberMutation('applications.setEnabled');
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
                  onChange={(e) => set.mutate({ application: a.key, enabled: e.currentTarget.checked })}
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
  const apps = useOp('applications.list', {});
  const grant = useMemberMutation('applications.grant', { input: (v: { application: string; granted: boolean }) => ({ memberId, ...v }) });
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
          onChange={(e) => grant.mutate({ application: a.key, granted: e.currentTarget.checked })}
        />
      ))}
    </Stack>
  );
}
