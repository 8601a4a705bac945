import { useState, type ReactNode } from 'react';
import { Alert, Anchor, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconMailCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import type { ConfirmDeletionInput, DeletionChallenge, Operations } from '../../api/types.gen';
import { CodeInput } from '../../ui/CodeInput';
import { FormError } from '../../ui/FormError';
import { ModalActions } from '../../ui/ModalActions';

/** What can be deleted this way: the account, or the organization. */
type Deletion = 'account.delete' | 'orgs.delete';

interface Props<K extends Deletion> {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** First step: what will be lost, and any extra confirmation (e.g. typing a name). */
  explain: ReactNode;
  /** The first step's own confirmation is complete. */
  ready?: boolean;
  continueLabel: string;
  confirmLabel: string;
  /** Starts the deletion: mails a code, or asks for the password (SPEC A9, B6). */
  request: 'account.requestDeletion' | 'orgs.requestDeletion';
  confirm: K;
  onDeleted: (result: Operations[K]['output']) => void | Promise<void>;
  /** A refusal worth its own words (e.g. the last admin), or null. */
  refusal?: (err: unknown) => ReactNode | null;
}

const blank: ConfirmDeletionInput = { code: '', password: '', twoFactorCode: '' };

/**
 * The two-step confirmation of an irreversible deletion: explain, then the
 * 6-digit code sent by email — or, when no mail is configured, the password
 * (and a second-factor code when it is on), as the backend's challenge says.
 */
export function DeletionModal<K extends Deletion>(props: Props<K>) {
  const { opened, onClose, title } = props;
  const [round, setRound] = useState(0);
  const close = () => {
    onClose();
    setRound((r) => r + 1); // a new opening starts from the first step
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered size="lg">
      <DeletionSteps key={round} {...props} onClose={close} />
    </Modal>
  );
}

function DeletionSteps<K extends Deletion>({ onClose, explain, ready = true, continueLabel, confirmLabel, request, confirm, onDeleted, refusal }: Props<K>) {
  const { t } = useTranslation();
  const [challenge, setChallenge] = useState<DeletionChallenge | null>(null);
  const [refused, setRefused] = useState<ReactNode>(null);
  const form = useForm<ConfirmDeletionInput>({
    initialValues: blank,
    validate: {
      code: (v) => (challenge?.method === 'email' && !v.trim() ? t('fields.required') : null),
      password: (v) => (challenge?.method === 'password' && !v ? t('fields.required') : null),
      twoFactorCode: (v) => (challenge?.method === 'password' && challenge.twoFactor && !v.trim() ? t('fields.required') : null),
    },
  });

  // A refusal worth its own words replaces the steps.
  const failed = (err: unknown) => setRefused(refusal?.(err) ?? null);
  const start = useOpMutation(request, {
    notify: false,
    onSuccess: (c) => {
      if (challenge && c.method === 'email') notifications.show({ color: 'teal', message: t('account.confirmCode.resent', { email: c.sentTo }) });
      setChallenge(c);
    },
    onError: failed,
  });
  const remove = useOpMutation<K, ConfirmDeletionInput>(confirm, {
    form,
    notify: false,
    input: (v) =>
      challenge?.method === 'email'
        ? { ...blank, code: v.code.replace(/\s/g, '') }
        : { ...blank, password: v.password, twoFactorCode: challenge?.twoFactor ? v.twoFactorCode.trim() : '' },
    onSuccess: (r) => onDeleted(r),
    onError: failed,
  });
  // The last of the two steps tried says why it failed.
  const formError = start.submittedAt >= remove.submittedAt ? start.errorText : remove.errorText;

  if (refused) {
    return (
      <Stack gap="md">
        {refused}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('account.confirmCode.back')}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (!challenge) {
    return (
      <Stack gap="md">
        {explain}
        <FormError message={formError} />
        <ModalActions onCancel={onClose} confirmLabel={continueLabel} color="red" disabled={!ready} loading={start.isPending} onConfirm={() => start.mutate({})} />
      </Stack>
    );
  }

  const busy = remove.isPending || remove.isSuccess;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => remove.mutate(v))}
    >
      <Stack gap="md">
        {challenge.method === 'email' ? (
          <>
            <Alert color="blue" variant="light" icon={<IconMailCheck size={20} />}>
              {t('account.confirmCode.emailSent', { email: challenge.sentTo })}
            </Alert>
            <CodeInput length={7} label={t('account.confirmCode.code')} data-autofocus {...form.getInputProps('code')} />
            <div>
              <Anchor component="button" type="button" fz="sm" onClick={() => start.mutate({})} disabled={start.isPending}>
                {t('account.confirmCode.resend')}
              </Anchor>
            </div>
          </>
        ) : (
          <>
            <Text fz="sm">{challenge.twoFactor ? t('account.confirmCode.passwordAndCode') : t('account.confirmCode.password')}</Text>
            <PasswordInput
              label={t('account.confirmCode.passwordLabel')}
              autoComplete="current-password"
              required
              maw={400}
              data-autofocus
              {...form.getInputProps('password')}
            />
            {challenge.twoFactor && (
              <TextInput
                label={t('account.confirmCode.twoFactorCode')}
                autoComplete="one-time-code"
                required
                maw={400}
                {...form.getInputProps('twoFactorCode')}
              />
            )}
          </>
        )}
        <FormError message={formError} />
        <ModalActions onCancel={onClose} busy={busy} confirmLabel={confirmLabel} color="red" loading={busy} leftSection={<IconAlertTriangle size={18} />} />
      </Stack>
    </form>
  );
}
