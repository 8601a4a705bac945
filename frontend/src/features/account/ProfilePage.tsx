import { Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { IdentitySection } from './IdentitySection';
import { ContactSection } from './ContactSection';
import { JobSection } from './JobSection';
import { LanguageSection } from './LanguageSection';
import { useSession } from '../../api/queries';
import { PasswordSection } from '../security/PasswordSection';
import { TwoFactorRequiredAlert, TwoFactorSection } from '../security/TwoFactorSection';
import { DevicesSection } from '../devices/DevicesSection';
import { NotificationsSection } from '../notifications/NotificationsSection';

export function ProfilePage() {
  const { t } = useTranslation();
  const { mustEnrollTwoFactor } = useSession();
  return (
    <>
      <PageHeader title={t('account.title')} subtitle={t('account.subtitle')} />
      <Stack gap="lg">
        <TwoFactorRequiredAlert required={!!mustEnrollTwoFactor} />
        <IdentitySection />
        <ContactSection />
        <JobSection />
        <LanguageSection />
        <PasswordSection />
        <TwoFactorSection />
        <DevicesSection />
        <NotificationsSection />
      </Stack>
    </>
  );
}
