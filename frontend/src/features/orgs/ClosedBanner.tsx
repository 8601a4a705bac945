import { Alert } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../api/queries';
import { isClosed } from './api';

/** Shown on every page while the current organization is closed (read-only). */
export function ClosedBanner() {
  const { t } = useTranslation();
  const { organization } = useSession();
  if (!isClosed(organization.status)) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconLock size={20} />} title={t('orgs.closedBannerTitle')} mb="lg" role="status">
      {t('orgs.closedBanner')}
    </Alert>
  );
}
