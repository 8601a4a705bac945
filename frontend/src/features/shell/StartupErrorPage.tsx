import { Box, Button, Card, Center, Code, CopyButton, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/errors';
import { Brand } from '../../ui/Brand';

/** Full page shown when the backend could not open its data: calm, with the reason and what to do. */
export function StartupErrorPage({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  const detail = error.message && error.message !== error.code ? error.message : '';
  return (
    <Box mih="100vh" bg="gray.0">
      <Box px="xl" py="lg">
        <Brand />
      </Box>
      <Center px="md" pb="xl">
        <Card maw={620} w="100%" padding={36} shadow="md" component="main">
          <Stack gap="lg">
            <ThemeIcon size={52} radius="xl" variant="light" color="orange" aria-hidden>
              <IconDatabaseOff size={28} />
            </ThemeIcon>
            <Stack gap={6}>
              <Title order={1} fz={26}>
                {t('startup.title')}
              </Title>
              <Text c="dimmed">{t('startup.intro')}</Text>
            </Stack>
            <div>
              <Title order={2} fz="lg" mb="xs">
                {t('startup.whatToDo')}
              </Title>
              <List type="ordered" spacing="xs">
                <List.Item>{t('startup.step1')}</List.Item>
                <List.Item>{t('startup.step2')}</List.Item>
                <List.Item>{t('startup.step3')}</List.Item>
              </List>
            </div>
            {detail && (
              <Box component="details">
                <Text component="summary" fw={500} style={{ cursor: 'pointer' }}>
                  {t('startup.details')}
                </Text>
                <Code block mt="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {detail}
                </Code>
                <CopyButton value={detail}>
                  {({ copied, copy }) => (
                    <Button variant="default" size="xs" mt="sm" onClick={copy}>
                      {copied ? t('startup.copied') : t('startup.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Box>
            )}
          </Stack>
        </Card>
      </Center>
    </Box>
  );
}
