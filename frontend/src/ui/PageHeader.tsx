import { Stack, Text, Title } from '@mantine/core';

export function PageHeader({ title, subtitle }: { title: string; subtitle?: string }) {
  return (
    <Stack gap={4} mb="xl">
      <Title order={1} fz={28}>
        {title}
      </Title>
      {subtitle && <Text c="dimmed">{subtitle}</Text>}
    </Stack>
  );
}
