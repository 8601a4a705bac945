import { Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center mih="100vh">
      <Stack align="center" gap="sm" role="status">
        <Loader size="md" />
        <Text c="dimmed" fz="sm">
          {t('app.loading')}
        </Text>
      </Stack>
    </Center>
  );
}
