import { useState, type ReactNode } from 'react';
import { Alert, Anchor, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ConfirmDeletionInput, DeletionChallenge } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { FormError } from '../../ui/FormError';

interface Props<R> {
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
  request: () => Promise<DeletionChallenge>;
  confirm: (input: ConfirmDeletionInput) => Promise<R>;
  onDeleted: (result: R) => void | Promise<void>;
  /** A refusal worth its own words (e.g. the last admin), or null. */
  refusal?: (err: unknown) => ReactNode | null;
}

const blank: ConfirmDeletionInput = { code: '', password: '', twoFactorCode: '' };

/**
 * The two-step confirmation of an irreversible deletion: explain, then the
 * 6-digit code sent by email — or, when no mail is configured, the password
 * (and a second-factor code when it is on), as the backend's challenge says.
 */
export function DeletionModal<R>(props: Props<R>) {
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

function DeletionSteps<R>({ onClose, explain, ready = true, continueLabel, confirmLabel, request, confirm, onDeleted, refusal }: Props<R>) {
  const { t } = useTranslation();
  const [challenge, setChallenge] = useState<DeletionChallenge | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [refused, setRefused] = useState<ReactNode>(null);
  const form = useForm<ConfirmDeletionInput>({
    initialValues: blank,
    validate: {
      code: (v) => (challenge?.method === 'email' && !v.trim() ? t('fields.required') : null),
      password: (v) => (challenge?.method === 'password' && !v ? t('fields.required') : null),
      twoFactorCode: (v) => (challenge?.method === 'password' && challenge.twoFactor && !v.trim() ? t('fields.required') : null),
    },
  });

  const failed = (err: unknown, fields: string[]) => {
    const special = refusal?.(err) ?? null;
    if (special) {
      setRefused(special);
      setFormError(null);
      return;
    }
    const f = fieldErrors(t, err, fields);
    if (f) form.setErrors(f);
    setFormError(f ? null : errorMessage(t, err));
  };

  const start = useMutation({
    mutationFn: request,
    onSuccess: (c) => {
      setFormError(null);
      if (challenge && c.method === 'email') notifications.show({ color: 'teal', message: t('account.confirmCode.resent', { email: c.sentTo }) });
      setChallenge(c);
    },
    onError: (err) => failed(err, []),
  });
  const remove = useMutation({
    mutationFn: (v: ConfirmDeletionInput) =>
      confirm(
        challenge?.method === 'email'
          ? { ...blank, code: v.code.replace(/\s/g, '') }
          : { ...blank, password: v.password, twoFactorCode: challenge?.twoFactor ? v.twoFactorCode.trim() : '' },
      ),
    onSuccess: async (r) => {
      await onDeleted(r);
    },
    onError: (err) => failed(err, ['code', 'password', 'twoFactorCode']),
  });

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
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('account.confirmCode.cancel')}
          </Button>
          <Button color="red" disabled={!ready} loading={start.isPending} onClick={() => start.mutate()}>
            {continueLabel}
          </Button>
        </Group>
      </Stack>
    );
  }

  const busy = remove.isPending || remove.isSuccess;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        remove.mutate(v);
      })}
    >
      <Stack gap="md">
        {challenge.method === 'email' ? (
          <>
            <Alert color="blue" variant="light" icon={<IconMailCheck size={20} />}>
              {t('account.confirmCode.emailSent', { email: challenge.sentTo })}
            </Alert>
            <TextInput
              label={t('account.confirmCode.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              w={220}
              required
              data-autofocus
              {...form.getInputProps('code')}
            />
            <div>
              <Anchor component="button" type="button" fz="sm" onClick={() => start.mutate()} disabled={start.isPending}>
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
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('account.confirmCode.cancel')}
          </Button>
          <Button type="submit" color="red" loading={busy} leftSection={<IconAlertTriangle size={18} />}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
