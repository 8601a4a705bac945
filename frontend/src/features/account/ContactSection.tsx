import { useState } from 'react';
import { Button, Group, TextInput } from '@mantine/core';
import { IconLock, IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { SectionCard } from '../../ui/SectionCard';
import { useProfileSection } from './useProfileSection';
import { EmailChangeModal } from './EmailChangeModal';

export function ContactSection() {
  const { t } = useTranslation();
  const [changingEmail, setChangingEmail] = useState(false);
  const { form, save, onSubmit, account } = useProfileSection({
    fromAccount: (a) => ({ mobilePhone: a.mobilePhoneNational || a.mobilePhone }),
    toInput: (v) => ({ mobilePhone: v.mobilePhone.trim() }),
  });

  return (
    <>
      <SectionCard
        title={t('account.contact.title')}
        description={t('account.contact.description')}
        onSubmit={onSubmit}
        dirty={form.isDirty()}
        saving={save.isPending}
      >
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t('account.contact.email')}
            description={t('account.contact.emailHint')}
            value={account.email}
            readOnly
            variant="filled"
            rightSection={<IconLock size={16} stroke={1.6} aria-hidden />}
            style={{ flex: '1 1 280px' }}
          />
          <Button type="button" variant="light" leftSection={<IconMailForward size={18} />} onClick={() => setChangingEmail(true)}>
            {t('account.emailChange.open')}
          </Button>
        </Group>
        <TextInput
          label={t('account.contact.mobilePhone')}
          description={t('account.contact.mobilePhoneHint')}
          type="tel"
          autoComplete="tel-national"
          maw={400}
          {...form.getInputProps('mobilePhone')}
        />
      </SectionCard>
      {/* Beside the section's form, not inside it: a portal's submit would bubble to it. */}
      <EmailChangeModal opened={changingEmail} onClose={() => setChangingEmail(false)} currentEmail={account.email} />
    </>
  );
}
