import { useState } from 'react';
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import type { MemberDetail } from '../../api/types.gen';
import { ConfirmModal } from '../../ui/ConfirmModal';

/** An admin's "Envoyer les instructions de réinitialisation" (SPEC C5): never the password itself. */
export function SendResetSection({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const [confirm, setConfirm] = useState(false);
  const m = detail.member;
  const name = `${m.firstName} ${m.lastName}`.trim();
  const send = useOpMutation('members.sendPasswordReset', {
    onSuccess: () => {
      setConfirm(false);
      notifications.show({ color: 'teal', message: t('recovery.sendResetDone', { email: m.email }) });
    },
  });
  return (
    <>
      <Button variant="light" leftSection={<IconKey size={16} />} onClick={() => setConfirm(true)}>
        {t('recovery.sendReset')}
      </Button>
      <ConfirmModal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={t('recovery.sendReset')}
        confirmLabel={t('recovery.sendReset')}
        loading={send.isPending}
        onConfirm={() => send.mutate({ memberId: m.id })}
      >
        {t('recovery.sendResetConfirm', { name })}
      </ConfirmModal>
    </>
  );
}
