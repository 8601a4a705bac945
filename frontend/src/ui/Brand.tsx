import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconBuildingBank } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function Brand({ size = 'md' }: { size?: 'md' | 'lg' }) {
  const { t } = useTranslation();
  const big = size === 'lg';
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={big ? 44 : 34} radius="md" variant="gradient" gradient={{ from: 'indigo.7', to: 'blue.5', deg: 135 }} aria-hidden>
        <IconBuildingBank size={big ? 24 : 19} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} fz={big ? 26 : 20} c="dark.7" style={{ letterSpacing: '-0.01em' }}>
        {t('app.name')}
      </Text>
    </Group>
  );
}
