import { useState } from 'react';
import { Alert, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { forgetSession, useSession } from '../../api/queries';
import { DeletionModal } from './DeletionModal';

/** The account is the last admin of an organization: the backend refuses (SPEC A9). */
export function isLastAdminRefusal(err: unknown): boolean {
  return isApiError(err) && err.fields.account === 'last_admin';
}

/** "Supprimer mon compte" (SPEC A9), at the bottom of the security tab. */
export function DeleteAccountCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { account } = useSession();
  const [opened, setOpened] = useState(false);
  const titleId = useId();

  const deleted = async () => {
    await forgetSession(client);
    notifications.show({ color: 'teal', message: t('account.deletion.done') });
  };

  return (
    <Card component="section" aria-labelledby={titleId} withBorder style={{ borderColor: 'var(--mantine-color-red-4)' }}>
      <Group justify="space-between" align="flex-start" gap="lg" wrap="nowrap">
        <Stack gap={4}>
          <Title order={2} fz="lg" c="red" id={titleId}>
            {t('account.deletion.cardTitle')}
          </Title>
          <Text c="dimmed" fz="sm">
            {t('account.deletion.cardText')}
          </Text>
        </Stack>
        <Button color="red" variant="outline" leftSection={<IconTrash size={18} />} onClick={() => setOpened(true)} style={{ flexShrink: 0 }}>
          {t('account.deletion.open')}
        </Button>
      </Group>
      <DeletionModal
        opened={opened}
        onClose={() => setOpened(false)}
        title={t('account.deletion.title')}
        continueLabel={t('account.deletion.continue')}
        confirmLabel={t('account.deletion.confirm')}
        request="account.requestDeletion"
        confirm="account.delete"
        onDeleted={deleted}
        refusal={(err) =>
          isLastAdminRefusal(err) ? (
            <Alert color="orange" variant="light" role="alert" icon={<IconAlertTriangle size={20} />} title={t('account.deletion.lastAdminTitle')}>
              {t('account.deletion.lastAdmin')}
            </Alert>
          ) : null
        }
        explain={
          <Stack gap="sm">
            <Alert color="red" variant="light" icon={<IconAlertTriangle size={20} />} title={t('account.deletion.irreversible')}>
              <Text fz="sm">{t('account.deletion.intro')}</Text>
              <List fz="sm" mt={6} spacing={2}>
                <List.Item>{t('account.deletion.lose1', { email: account.email })}</List.Item>
                <List.Item>{t('account.deletion.lose2')}</List.Item>
                <List.Item>{t('account.deletion.lose3')}</List.Item>
              </List>
            </Alert>
            <Text fz="sm" c="dimmed">
              {t('account.deletion.keeps')}
            </Text>
          </Stack>
        }
      />
    </Card>
  );
}
