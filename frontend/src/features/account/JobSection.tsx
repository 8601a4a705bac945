import { TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SectionCard } from '../../ui/SectionCard';
import { useProfileSection } from './useProfileSection';

export function JobSection() {
  const { t } = useTranslation();
  const { form, save, onSubmit } = useProfileSection({
    fromAccount: (a) => ({ jobTitle: a.jobTitle }),
    toInput: (v) => ({ jobTitle: v.jobTitle.trim() }),
  });

  return (
    <SectionCard
      title={t('account.job.title')}
      description={t('account.job.description')}
      onSubmit={onSubmit}
      dirty={form.isDirty()}
      saving={save.isPending}
    >
      <TextInput
        label={t('account.job.jobTitle')}
        placeholder={t('account.job.jobTitlePlaceholder')}
        autoComplete="organization-title"
        {...form.getInputProps('jobTitle')}
      />
    </SectionCard>
  );
}
