import { TextInput } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { SectionCard } from './SectionCard';
import { useProfileSection } from './useProfileSection';

export function ContactSection() {
  const { t } = useTranslation();
  const { form, save, onSubmit, account } = useProfileSection({
    fromAccount: (a) => ({ mobilePhone: a.mobilePhoneNational || a.mobilePhone }),
    toInput: (v) => ({ mobilePhone: v.mobilePhone.trim() }),
  });

  return (
    <SectionCard
      title={t('account.contact.title')}
      description={t('account.contact.description')}
      onSubmit={onSubmit}
      dirty={form.isDirty()}
      saving={save.isPending}
    >
      <TextInput
        label={t('account.contact.email')}
        description={t('account.contact.emailHint')}
        value={account.email}
        readOnly
        variant="filled"
        rightSection={<IconLock size={16} stroke={1.6} aria-hidden />}
      />
      <TextInput
        label={t('account.contact.mobilePhone')}
        description={t('account.contact.mobilePhoneHint')}
        type="tel"
        autoComplete="tel-national"
        maw={400}
        {...form.getInputProps('mobilePhone')}
      />
    </SectionCard>
  );
}
