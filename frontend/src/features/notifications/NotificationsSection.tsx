import { Alert, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import { errorMessage } from '../../i18n/errors';
import { SectionCard } from '../../ui/SectionCard';

/** "Notifications par e-mail" (SPEC A5): one switch per category; security alerts always on. */
export function NotificationsSection() {
  const { t } = useTranslation();
  const prefs = useOp('notifications.preferences', {});
  const set = useOpMutation('notifications.set', {
    updates: 'notifications.preferences',
    onSuccess: () => notifications.show({ color: 'teal', message: t('notifications.saved') }),
  });
  return (
    <SectionCard title={t('notifications.title')} description={t('notifications.description')}>
      {prefs.isPending && <Text c="dimmed">{t('common.loading')}</Text>}
      {prefs.isError && <Text c="red">{errorMessage(t, prefs.error)}</Text>}
      {prefs.data && !prefs.data.mailReady && (
        <Alert color="yellow" mb="md">{t('notifications.mailNotReady')}</Alert>
      )}
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
