import { useState } from 'react';
import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { acceptSession } from '../../api/queries';
import type { SessionInfo, SignInInput } from '../../api/types.gen';
import { isApiError } from '../../api/errors';
import { AuthLayout } from '../../ui/AuthLayout';
import { SyncStatus } from '../sync/SyncStatus';
import { FormError } from '../../ui/FormError';
import { focusFirstError } from '../../api/focusFirstError';

export function SignInPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  // A second step that ran out sends the person back here, saying so.
  const [expired, setExpired] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const form = useForm<SignInInput>({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : t('fields.required')),
      password: (v) => (v ? null : t('fields.required')),
    },
  });

  const signIn = useOpMutation('auth.signIn', {
    form,
    notify: false,
    input: (values: SignInInput) => ({ email: values.email.trim(), password: values.password }),
    onSuccess: (session) => {
      if (session.pendingTwoFactor) {
        setPending(session.pendingTwoFactor);
        return;
      }
      window.location.hash = '#/';
      acceptSession(client, session);
    },
    onError: () => form.setFieldValue('password', ''),
  });

  if (pending) {
    return (
      <SecondFactorStep
        pendingToken={pending}
        onSignedIn={(session) => {
          window.location.hash = '#/';
          acceptSession(client, session);
        }}
        onExpired={(message) => {
          setPending(null);
          signIn.reset();
          setExpired(message || null);
        }}
      />
    );
  }

  return (
    <AuthLayout title={t('signIn.title')} intro={t('signIn.intro')}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setExpired(null);
          signIn.mutate(values);
        }, focusFirstError)}
      >
        <Stack gap="md">
          <FormError message={signIn.errorText ?? expired} />
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            required
            data-autofocus
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
            label={t('signIn.password')}
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" size="lg" mt="xs" fullWidth loading={signIn.isPending}>
            {t('signIn.submit')}
          </Button>
          <Anchor href="#/forgot-password" size="sm" ta="center">
            {t('recovery.forgotLink')}
          </Anchor>
          {/* On a desktop, an invitation's code is typed here rather than opened as a link. */}
          <Anchor href="#/invitation" size="sm" ta="center">
            {t('invitations.haveCode')}
          </Anchor>
          <SyncStatus inHeader={false} />
        </Stack>
      </form>
    </AuthLayout>
  );
}

/** The second step of a sign-in with two-step verification (SPEC A6). */
function SecondFactorStep({
  pendingToken,
  onSignedIn,
  onExpired,
}: {
  pendingToken: string;
  onSignedIn: (s: SessionInfo) => void;
  onExpired: (message: string) => void;
}) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const form = useForm({ initialValues: { code: '' }, validate: { code: (v) => (v.trim() ? null : t('fields.required')) } });
  const verify = useOpMutation('auth.verifyTwoFactor', {
    form,
    notify: false,
    input: (v: { code: string }) => ({ pendingToken, code: v.code.trim() }),
    onSuccess: onSignedIn,
    onError: (err) => {
      if (isApiError(err) && err.fields.pendingToken) onExpired(t('security.twoFactor.expired'));
      else form.setFieldValue('code', '');
    },
  });
  return (
    <AuthLayout title={t('security.twoFactor.signInTitle')} intro={t('security.twoFactor.signInIntro')}>
      <form
        noValidate
        onSubmit={form.onSubmit((v) => verify.mutate(v), focusFirstError)}
      >
        <Stack gap="md">
          <FormError message={verify.errorText} />
          <TextInput
            key={recovery ? 'recovery' : 'totp'}
            label={recovery ? t('security.twoFactor.recoveryLabel') : t('security.twoFactor.signInCode')}
            inputMode={recovery ? 'text' : 'numeric'}
            autoComplete="one-time-code"
            maxLength={recovery ? 20 : 6}
            required
            autoFocus
            {...form.getInputProps('code')}
          />
          <Button type="submit" size="lg" fullWidth loading={verify.isPending}>
            {t('security.twoFactor.signInSubmit')}
          </Button>
          <Anchor component="button" type="button" fz="sm" onClick={() => setRecovery((r) => !r)}>
            {recovery ? t('security.twoFactor.useTotp') : t('security.twoFactor.useRecovery')}
          </Anchor>
          <Anchor component="button" type="button" fz="sm" c="dimmed" onClick={() => onExpired('')}>
            {t('security.twoFactor.back')}
          </Anchor>
        </Stack>
      </form>
    </AuthLayout>
  );
}
