import { useState } from 'react';
import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { keys } from '../../api/queries';
import type { SessionInfo, SignInInput } from '../../api/types.gen';
import { isApiError } from '../../api/errors';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';
import { focusFirstError } from '../../ui/focusFirstError';

export function SignInPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const form = useForm<SignInInput>({
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() ? null : t('fields.required')),
      password: (v) => (v ? null : t('fields.required')),
    },
  });

  const signIn = useMutation({
    mutationFn: (values: SignInInput) => call('auth.signIn', { email: values.email.trim(), password: values.password }),
    onSuccess: (session) => {
      if (session.pendingTwoFactor) {
        setPending(session.pendingTwoFactor);
        return;
      }
      window.location.hash = '#/';
      client.setQueryData(keys.session, session);
    },
    onError: (err) => {
      const fields = fieldErrors(t, err, ['email', 'password']);
      if (fields) form.setErrors(fields);
      setFormError(fields ? null : errorMessage(t, err));
      form.setFieldValue('password', '');
    },
  });

  if (pending) {
    return (
      <SecondFactorStep
        pendingToken={pending}
        onSignedIn={(session) => {
          window.location.hash = '#/';
          client.setQueryData(keys.session, session);
        }}
        onExpired={(message) => {
          setPending(null);
          setFormError(message || null);
        }}
      />
    );
  }

  return (
    <AuthLayout title={t('signIn.title')} intro={t('signIn.intro')}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          signIn.mutate(values);
        }, focusFirstError)}
      >
        <Stack gap="md">
          <FormError message={formError} />
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
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { code: '' }, validate: { code: (v) => (v.trim() ? null : t('fields.required')) } });
  const verify = useMutation({
    mutationFn: (code: string) => call('auth.verifyTwoFactor', { pendingToken, code: code.trim() }),
    onSuccess: onSignedIn,
    onError: (err) => {
      if (isApiError(err) && err.fields.pendingToken) {
        onExpired(t('security.twoFactor.expired'));
        return;
      }
      form.setFieldValue('code', '');
      const fields = fieldErrors(t, err, ['code']);
      if (fields) form.setErrors(fields);
      setFormError(fields ? null : errorMessage(t, err));
    },
  });
  return (
    <AuthLayout title={t('security.twoFactor.signInTitle')} intro={t('security.twoFactor.signInIntro')}>
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          setFormError(null);
          verify.mutate(v.code);
        }, focusFirstError)}
      >
        <Stack gap="md">
          <FormError message={formError} />
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
