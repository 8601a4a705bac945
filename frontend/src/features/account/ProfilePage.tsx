import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { IdentitySection } from './IdentitySection';
import { ContactSection } from './ContactSection';
import { JobSection } from './JobSection';
import { LanguageSection } from './LanguageSection';

export function ProfilePage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('account.title')} subtitle={t('account.subtitle')} />
      <Stack gap="lg">
        <IdentitySection />
        <ContactSection />
        <JobSection />
        <LanguageSection />
      </Stack>
    </>
  );
}
