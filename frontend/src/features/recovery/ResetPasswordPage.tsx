import { useState } from 'react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';
import { NewPasswordFields, samePassword } from '../../ui/NewPassword';

/** Choosing a new password from a reset link, or with the address and the code of the message. */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const form = useForm({
    initialValues: { email: '', code: '', password: '', confirm: '' },
    validate: {
      email: (v) => (token || v.trim() ? null : t('fields.required')),
      code: (v) => (token || v.trim() ? null : t('fields.required')),
      password: (v) => (v ? null : t('fields.required')),
      confirm: samePassword('password', t('recovery.reset.mismatch')),
    },
  });
  const reset = useOpMutation('auth.resetPassword', {
    form,
    fields: ['email', 'code', 'password'],
    notify: false,
    input: (v: typeof form.values) => ({ token, email: v.email.trim(), code: v.code.trim(), password: v.password }),
    onSuccess: () => setDone(true),
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
            <FormError message={reset.errorText} />
            {!token && (
              <>
                <TextInput label={t('recovery.email')} type="email" required {...form.getInputProps('email')} />
                <TextInput label={t('recovery.code')} required {...form.getInputProps('code')} />
              </>
            )}
            <NewPasswordFields
              form={form}
              field="password"
              confirmField="confirm"
              label={t('recovery.reset.password')}
              description={t('recovery.reset.passwordHint')}
              confirmLabel={t('recovery.reset.confirm')}
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
