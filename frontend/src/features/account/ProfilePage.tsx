import { Stack, Tabs } from '@mantine/core';
import { IconBell, IconShieldLock, IconUser } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../ui/PageHeader';
import { IdentitySection } from './IdentitySection';
import { ContactSection } from './ContactSection';
import { JobSection } from './JobSection';
import { LanguageSection } from './LanguageSection';
import { DeleteAccountCard } from './DeleteAccountCard';
import { MyDataCard } from './MyDataCard';
import { useSession } from '../../api/queries';
import { PasswordSection } from '../security/PasswordSection';
import { TwoFactorRequiredAlert, TwoFactorSection } from '../security/TwoFactorSection';
import { DevicesSection } from '../devices/DevicesSection';
import { NotificationsSection } from '../notifications/NotificationsSection';

export const ACCOUNT_TABS = ['profile', 'security', 'notifications'] as const;
export type AccountTab = (typeof ACCOUNT_TABS)[number];

const isTab = (v: string | null): v is AccountTab => (ACCOUNT_TABS as readonly string[]).includes(v ?? '');

/** Where a tab of "Mon compte" lives: /account?tab=security. */
export const accountTabPath = (tab: AccountTab) => (tab === 'profile' ? '/account' : `/account?tab=${tab}`);

export function ProfilePage() {
  const { t } = useTranslation();
  const { mustEnrollTwoFactor } = useSession();
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  // An organization requiring two-step verification sends its members straight to it.
  const tab: AccountTab = isTab(asked) ? asked : mustEnrollTwoFactor ? 'security' : 'profile';

  const choose = (next: string | null) => {
    if (!isTab(next) || next === tab) return;
    setParams(next === 'profile' ? {} : { tab: next }, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('account.title')} subtitle={t('account.subtitle')} />
      <Tabs value={tab} onChange={choose} keepMounted>
        <Tabs.List aria-label={t('account.tabs.label')} mb="lg">
          <Tabs.Tab value="profile" leftSection={<IconUser size={18} stroke={1.6} />}>
            {t('account.tabs.profile')}
          </Tabs.Tab>
          <Tabs.Tab
            value="security"
            leftSection={<IconShieldLock size={18} stroke={1.6} />}
            color={mustEnrollTwoFactor ? 'orange' : undefined}
          >
            {t('account.tabs.security')}
          </Tabs.Tab>
          <Tabs.Tab value="notifications" leftSection={<IconBell size={18} stroke={1.6} />}>
            {t('account.tabs.notifications')}
          </Tabs.Tab>
        </Tabs.List>

        <Tabs.Panel value="profile">
          <Stack gap="lg">
            <IdentitySection />
            <ContactSection />
            <JobSection />
            <LanguageSection />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="security">
          <Stack gap="lg">
            <TwoFactorRequiredAlert required={!!mustEnrollTwoFactor} />
            <PasswordSection />
            <TwoFactorSection />
            <DevicesSection />
            <MyDataCard />
            <DeleteAccountCard />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="notifications">
          <NotificationsSection />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
