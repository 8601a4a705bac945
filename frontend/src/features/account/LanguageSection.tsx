import { SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { keys, patchSessionAccount } from '../../api/queries';
import { applyLanguage, LANGUAGES } from '../../i18n';
import { errorMessage } from '../../i18n/errors';
import { SectionCard } from './SectionCard';

export function LanguageSection() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const setLanguage = useMutation({
    mutationFn: (language: string) => call('account.setLanguage', { language }),
    onSuccess: async (account, requested) => {
      await applyLanguage(account.language || requested);
      patchSessionAccount(client, account);
      void client.invalidateQueries({ queryKey: keys.session });
      notifications.show({ color: 'teal', message: i18n.t('account.language.changed') });
    },
    onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) }),
  });

  return (
    <SectionCard title={t('account.language.title')} description={t('account.language.description')}>
      <SegmentedControl
        aria-label={t('account.language.label')}
        value={setLanguage.isPending && setLanguage.variables ? setLanguage.variables : i18n.language}
        onChange={(v) => v !== i18n.language && setLanguage.mutate(v)}
        disabled={setLanguage.isPending}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
        w={{ base: '100%', xs: 320 }}
      />
    </SectionCard>
  );
}
