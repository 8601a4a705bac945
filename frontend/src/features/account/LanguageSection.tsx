import { SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { patchSessionAccount } from '../../api/queries';
import { applyLanguage, LANGUAGES } from '../../i18n';
import { SectionCard } from '../../ui/SectionCard';

export function LanguageSection() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const setLanguage = useOpMutation('account.setLanguage', {
    input: (language: string) => ({ language }),
    invalidates: ['session.current'],
    onSuccess: async (account, requested) => {
      await applyLanguage(account.language || requested);
      patchSessionAccount(client, account);
      notifications.show({ color: 'teal', message: i18n.t('account.language.changed') });
    },
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
