import { useState } from 'react';
import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';

/** Choosing a new password from a reset link, or with the address and the code of the message. */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', code: '', password: '', confirm: '' },
    validate: {
      email: (v) => (token || v.trim() ? null : t('fields.required')),
      code: (v) => (token || v.trim() ? null : t('fields.required')),
      password: (v) => (v ? null : t('fields.required')),
      confirm: (v, all) => (v === all.password ? null : t('recovery.reset.mismatch')),
    },
  });
  const reset = useMutation({
    mutationFn: (v: typeof form.values) =>
      call('auth.resetPassword', { token, email: v.email.trim(), code: v.code.trim(), password: v.password }),
    onSuccess: () => setDone(true),
    onError: (err) => {
      const fields = fieldErrors(t, err, ['email', 'code', 'password']);
      if (fields) form.setErrors(fields);
      const tokenError = fieldErrors(t, err, ['token']);
      setFormError(tokenError ? tokenError.token : fields ? null : errorMessage(t, err));
    },
  });
  return (
    <AuthLayout title={t('recovery.reset.title')} intro={t('recovery.reset.intro')}>
      {done ? (
        <Stack>
          <Alert color="teal" role="status">
            {t('recovery.reset.done')}
          </Alert>
          <Button component="a" href="#/">
            {t('recovery.signIn')}
          </Button>
        </Stack>
      ) : (
        <form noValidate onSubmit={form.onSubmit((v) => reset.mutate(v))}>
          <Stack>
            <FormError message={formError} />
            {!token && (
              <>
                <TextInput label={t('recovery.email')} type="email" required {...form.getInputProps('email')} />
                <TextInput label={t('recovery.code')} required {...form.getInputProps('code')} />
              </>
            )}
            <PasswordInput
              label={t('recovery.reset.password')}
              description={t('recovery.reset.passwordHint')}
              autoComplete="new-password"
              required
              {...form.getInputProps('password')}
            />
            <PasswordInput
              label={t('recovery.reset.confirm')}
              autoComplete="new-password"
              required
              {...form.getInputProps('confirm')}
            />
            <Button type="submit" size="lg" loading={reset.isPending}>
              {t('recovery.reset.submit')}
            </Button>
            <Anchor href="#/">{t('recovery.backToSignIn')}</Anchor>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
