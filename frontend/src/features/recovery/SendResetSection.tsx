import { useState } from 'react';
import { Button, Group, Modal, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { MemberDetail } from '../../api/types.gen';
import { errorMessage } from '../../i18n/errors';

/** An admin's "Envoyer les instructions de réinitialisation" (SPEC C5): never the password itself. */
export function SendResetSection({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const [confirm, setConfirm] = useState(false);
  const m = detail.member;
  const name = `${m.firstName} ${m.lastName}`.trim();
  const send = useMutation({
    mutationFn: () => call('members.sendPasswordReset', { memberId: m.id }),
    onSuccess: () => {
      setConfirm(false);
      notifications.show({ color: 'teal', message: t('recovery.sendResetDone', { email: m.email }) });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  return (
    <>
      <Button variant="light" leftSection={<IconKey size={16} />} onClick={() => setConfirm(true)}>
        {t('recovery.sendReset')}
      </Button>
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={t('recovery.sendReset')}>
        <Text mb="md">{t('recovery.sendResetConfirm', { name })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirm(false)}>
            {t('invitations.cancel')}
          </Button>
          <Button loading={send.isPending} onClick={() => send.mutate()}>
            {t('recovery.sendReset')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
