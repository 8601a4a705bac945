import { Card, Group, SimpleGrid, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconBuilding, IconClock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { PageHeader } from '../../ui/PageHeader';
import { timeZoneLabel } from '../setup/timezones';

function InfoCard({ icon, label, value, hint }: { icon: ReactNode; label: string; value: string; hint?: string }) {
  return (
    <Card>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
          {icon}
        </ThemeIcon>
        <Stack gap={2}>
          <Text c="dimmed" fz="sm" fw={500}>
            {label}
          </Text>
          <Text fz="lg" fw={600}>
            {value}
          </Text>
          {hint && (
            <Text c="dimmed" fz="sm">
              {hint}
            </Text>
          )}
        </Stack>
      </Group>
    </Card>
  );
}

function currentTime(zone: string, lang: string): string | null {
  try {
    return new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date());
  } catch {
    return null;
  }
}

export function CompanyPage() {
  const { t, i18n } = useTranslation();
  const { organization } = useSession();
  const now = currentTime(organization.timezone, i18n.language);
  return (
    <>
      <PageHeader title={t('company.title')} subtitle={t('company.subtitle')} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <InfoCard icon={<IconBuilding size={24} stroke={1.6} />} label={t('company.name')} value={organization.name} />
        <InfoCard
          icon={<IconClock size={24} stroke={1.6} />}
          label={t('company.timezone')}
          value={timeZoneLabel(organization.timezone)}
          hint={now ? t('company.currentTime', { time: now }) : t('company.timezoneHint')}
        />
      </SimpleGrid>
    </>
  );
}
