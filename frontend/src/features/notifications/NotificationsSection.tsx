import { Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { errorMessage } from '../../i18n/errors';
import { SectionCard } from '../account/SectionCard';

const prefsKey = ['notifications.preferences'] as const;

/** "Notifications par e-mail" (SPEC A5): one switch per category; security alerts always on. */
export function NotificationsSection() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const prefs = useQuery({ queryKey: prefsKey, queryFn: () => call('notifications.preferences', {}) });
  const set = useMutation({
    mutationFn: (v: { category: string; enabled: boolean }) => call('notifications.set', v),
    onSuccess: (data) => {
      client.setQueryData(prefsKey, data);
      notifications.show({ color: 'teal', message: t('notifications.saved') });
    },
    onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) }),
  });
  return (
    <SectionCard title={t('notifications.title')} description={t('notifications.description')}>
      {prefs.isPending && <Text c="dimmed">{t('common.loading')}</Text>}
      {prefs.isError && <Text c="red">{errorMessage(t, prefs.error)}</Text>}
      <Stack gap="md">
        {prefs.data?.categories.map((c) => (
          <Switch
            key={c.category}
            label={t(`notifications.category.${c.category}`)}
            description={c.locked ? t('notifications.locked') : t(`notifications.hint.${c.category}`)}
            checked={set.isPending && set.variables?.category === c.category ? set.variables.enabled : c.enabled}
            disabled={c.locked || set.isPending}
            onChange={(e) => set.mutate({ category: c.category, enabled: e.currentTarget.checked })}
          />
        ))}
      </Stack>
    </SectionCard>
  );
}
