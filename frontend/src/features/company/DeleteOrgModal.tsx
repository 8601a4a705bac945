import { useState } from 'react';
import { Alert, List, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { forgetSession } from '../../api/queries';
import type { OrgDeleted } from '../../api/types.gen';
import { DeletionModal } from '../account/DeletionModal';
import { useSwitchOrg } from '../orgs/api';

/** Names are compared as a person types them: spaces around and runs of spaces do not count. */
const sameName = (a: string, b: string) => a.normalize('NFC').trim().replace(/\s+/g, ' ') === b.normalize('NFC').trim().replace(/\s+/g, ' ');

/**
 * "Supprimer l'organisation" (SPEC B6): type its name, then the mailed code
 * (or the password). The session then works in another organization of the
 * account, or — there is none left — returns to the sign-in page.
 */
export function DeleteOrgModal({ opened, onClose, name }: { opened: boolean; onClose: () => void; name: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const switchOrg = useSwitchOrg();
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    onClose();
  };

  // The backend leaves this session without an organization: move on to
  // another one of the account, else sign out.
  const deleted = async ({ name: gone }: OrgDeleted) => {
    let next: { id: string; name: string } | undefined;
    try {
      const mine = await call('orgs.list', { name: '', id: '', offset: 0, limit: 50 });
      next = mine.items.find((o) => o.status !== 'closed') ?? mine.items[0];
    } catch {
      next = undefined;
    }
    if (next) {
      try {
        const info = await switchOrg.mutateAsync(next.id);
        navigate('/company', { replace: true });
        notifications.show({
          color: 'teal',
          autoClose: 10_000,
          message: t('company.deletion.doneSwitched', { name: gone, next: info.organization.name }),
        });
        return;
      } catch {
        /* fall through: sign out */
      }
    }
    try {
      await call('auth.signOut', {});
    } catch {
      /* the session is useless without an organization anyway */
    }
    await forgetSession(client);
    notifications.show({ color: 'teal', autoClose: 10_000, message: t('company.deletion.doneSignedOut', { name: gone }) });
  };

  return (
    <DeletionModal
      opened={opened}
      onClose={close}
      title={t('company.deletion.title', { name })}
      continueLabel={t('company.deletion.continue')}
      confirmLabel={t('company.deletion.confirm')}
      ready={sameName(typed, name)}
      request="orgs.requestDeletion"
      confirm="orgs.delete"
      onDeleted={deleted}
      explain={
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={20} />} title={t('company.deletion.irreversible')}>
            <Text fz="sm">{t('company.deletion.intro', { name })}</Text>
            <List fz="sm" mt={6} spacing={2}>
              <List.Item>{t('company.deletion.lose1')}</List.Item>
              <List.Item>{t('company.deletion.lose2')}</List.Item>
              <List.Item>{t('company.deletion.lose3')}</List.Item>
            </List>
          </Alert>
          <Text fz="sm" c="dimmed">
            {t('company.deletion.closeInstead')}
          </Text>
          <TextInput
            label={
              <Trans
                i18nKey="company.deletion.typeName"
                values={{ name }}
                components={{ b: <Text span fw={700} inherit /> }}
              />
            }
            value={typed}
            onChange={(e) => setTyped(e.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            data-autofocus
          />
        </Stack>
      }
    />
  );
}
