import type { ReactNode } from 'react';
import { Box, Card, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Brand } from './Brand';
import { LanguageSwitch } from './LanguageSwitch';

interface Props {
  title: string;
  intro?: string;
  width?: number;
  children: ReactNode;
}

/** The calm, centred frame of the pages shown before signing in. */
export function AuthLayout({ title, intro, width = 440, children }: Props) {
  const { t } = useTranslation();
  return (
    <Box
      mih="100vh"
      style={{
        background:
          'radial-gradient(1200px 600px at 10% -10%, var(--mantine-color-indigo-1), transparent 60%), radial-gradient(900px 500px at 110% 110%, var(--mantine-color-blue-1), transparent 60%), var(--mantine-color-gray-0)',
      }}
    >
      <Group justify="space-between" px="xl" py="lg">
        <Brand />
        <LanguageSwitch />
      </Group>
      <Center px="md" pb={48} pt="md">
        <Stack w="100%" maw={width} gap="lg">
          <Card component="main" padding={36} shadow="md">
            <Stack gap={6} mb="xl">
              <Title order={1} fz={28}>
                {title}
              </Title>
              {intro && (
                <Text c="dimmed" fz="md">
                  {intro}
                </Text>
              )}
            </Stack>
            {children}
          </Card>
          <Text ta="center" fz="sm" c="dimmed">
            {t('app.tagline')}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
}
