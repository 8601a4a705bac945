import { Alert, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { openExternal } from '../../../api/external';
import { useOp } from '../../../api/ops';
import { errorMessage } from '../../../i18n/errors';
import { PageHeader } from '../../../ui/PageHeader';
import { useText } from '../../../ui/text';

/** My applications (SPEC A8): per organization, what the signed-in account can use; a tile opens the application. */
export function MyApplicationsPage() {
  const { t } = useTranslation();
  const text = useText();
  const mine = useOp('account.applications', {});
  return (
    <>
      <PageHeader title={t('apps.mine.title')} subtitle={t('apps.mine.subtitle')} />
      {mine.isPending ? (
        <Loader size="sm" />
      ) : mine.isError ? (
        <Alert color="red">{errorMessage(t, mine.error)}</Alert>
      ) : mine.data.organizations.length === 0 ? (
        <Card>
          <Text c="dimmed">{t('apps.mine.empty')}</Text>
        </Card>
      ) : (
        <Stack gap="xl">
          {mine.data.organizations.map((o) => (
            <Stack key={o.orgId} gap="sm" component="section" aria-label={o.orgName}>
              <Title order={2} fz={18}>
                {o.orgName}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                {o.applications.map((a) => (
                  <Card
                    key={a.key}
                    component="a"
                    href={a.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    aria-label={t('apps.mine.open', { name: text(a.name) })}
                    onClick={(e) => {
                      e.preventDefault();
                      openExternal(a.url);
                    }}
                    style={{ cursor: 'pointer' }}
                  >
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Text fw={600}>{text(a.name)}</Text>
                      <IconExternalLink size={18} aria-hidden />
                    </Group>
                    <Text size="sm" c="dimmed">
                      {text(a.description)}
                    </Text>
                  </Card>
                ))}
              </SimpleGrid>
            </Stack>
          ))}
        </Stack>
      )}
    </>
  );
}
