import { Button, Card, Center, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n/errors';
import { isApiError } from '../../api/errors';

/** Shown when the first calls fail for another reason than "not signed in". */
export function UnreachablePage({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Center mih="100vh" px="md" bg="gray.0">
      <Card maw={480} w="100%" padding={36} shadow="md" component="main">
        <Stack align="center" ta="center" gap="md">
          <ThemeIcon size={52} radius="xl" variant="light" color="gray" aria-hidden>
            <IconPlugConnectedX size={28} />
          </ThemeIcon>
          <Title order={1} fz={24}>
            {t('unreachable.title')}
          </Title>
          <Text c="dimmed">
            {isApiError(error) && !['network', 'internal'].includes(error.code) ? errorMessage(t, error) : t('unreachable.text')}
          </Text>
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        </Stack>
      </Card>
    </Center>
  );
}
