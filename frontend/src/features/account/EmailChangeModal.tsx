import { useState } from 'react';
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailForward } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import type { RequestEmailChangeInput } from '../../api/types.gen';
import { FormError } from '../../ui/FormError';
import { ModalActions } from '../../ui/ModalActions';

interface Props {
  opened: boolean;
  onClose: () => void;
  currentEmail: string;
}

/**
 * "Changer d'adresse e-mail" (SPEC A2): the new address receives a
 * confirmation link; nothing changes until it is opened.
 */
export function EmailChangeModal({ opened, onClose, currentEmail }: Props) {
  const { t } = useTranslation();
  const [round, setRound] = useState(0);
  const close = () => {
    onClose();
    setRound((r) => r + 1);
  };
  return (
    <Modal opened={opened} onClose={close} title={t('account.emailChange.title')} centered size="lg">
      <EmailChangeForm key={round} onClose={close} currentEmail={currentEmail} />
    </Modal>
  );
}

function EmailChangeForm({ onClose, currentEmail }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<RequestEmailChangeInput>({
    initialValues: { newEmail: '', password: '' },
    validate: {
      newEmail: (v) => (v.trim() ? null : t('fields.required')),
      password: (v) => (v ? null : t('fields.required')),
    },
  });
  const request = useOpMutation('account.requestEmailChange', {
    form,
    notify: false,
    input: (v: RequestEmailChangeInput) => ({ newEmail: v.newEmail.trim(), password: v.password }),
    onSuccess: (res) => setSentTo(res.sentTo),
  });

  if (sentTo) {
    return (
      <Stack gap="md">
        <Alert color="teal" variant="light" role="status" icon={<IconMailForward size={20} />} title={t('account.emailChange.sentTitle')}>
          <Stack gap={6}>
            <Text fz="sm" fw={500}>
              {t('account.emailChange.sent', { email: sentTo })}
            </Text>
            <Text fz="sm">{t('account.emailChange.sentNothingYet', { current: currentEmail })}</Text>
          </Stack>
        </Alert>
        <Text fz="sm" c="dimmed">
          {t('account.emailChange.sentSpam')}
        </Text>
        <Group justify="flex-end">
          <Button onClick={onClose} data-autofocus>
            {t('account.emailChange.close')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => request.mutate(v))}
    >
      <Stack gap="md">
        <Text fz="sm">{t('account.emailChange.intro')}</Text>
        <TextInput label={t('account.emailChange.current')} value={currentEmail} readOnly variant="filled" />
        <TextInput
          label={t('account.emailChange.newEmail')}
          type="email"
          autoComplete="email"
          required
          data-autofocus
          {...form.getInputProps('newEmail')}
        />
        <PasswordInput
          label={t('account.emailChange.password')}
          description={t('account.emailChange.passwordHint')}
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        <FormError message={request.errorText} />
        <ModalActions onCancel={onClose} confirmLabel={t('account.emailChange.submit')} loading={request.isPending} />
      </Stack>
    </form>
  );
}
