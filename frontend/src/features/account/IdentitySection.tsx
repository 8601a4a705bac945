import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SectionCard } from '../../ui/SectionCard';
import { useProfileSection } from './useProfileSection';

const NONE = 'none';

export function IdentitySection() {
  const { t } = useTranslation();
  const required = (v: string) => (v.trim() ? null : t('fields.required'));
  const { form, save, onSubmit } = useProfileSection({
    fromAccount: (a) => ({ title: a.title || NONE, firstName: a.firstName, lastName: a.lastName }),
    toInput: (v) => ({
      title: v.title === NONE ? '' : v.title,
      firstName: v.firstName.trim(),
      lastName: v.lastName.trim(),
    }),
    validate: { firstName: required, lastName: required },
  });

  return (
    <SectionCard
      title={t('account.identity.title')}
      description={t('account.identity.description')}
      onSubmit={onSubmit}
      dirty={form.isDirty()}
      saving={save.isPending}
    >
      <Select
        label={t('account.identity.civility')}
        data={[
          { value: NONE, label: t('account.identity.none') },
          { value: 'mme', label: t('account.identity.mme') },
          { value: 'm', label: t('account.identity.m') },
        ]}
        allowDeselect={false}
        maw={240}
        {...form.getInputProps('title')}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput label={t('account.identity.firstName')} autoComplete="given-name" required {...form.getInputProps('firstName')} />
        <TextInput label={t('account.identity.lastName')} autoComplete="family-name" required {...form.getInputProps('lastName')} />
      </SimpleGrid>
    </SectionCard>
  );
}
