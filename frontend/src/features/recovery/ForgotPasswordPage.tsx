import { useState } from 'react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';

/** "Mot de passe oublié" (SPEC A11): the answer never tells whether the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [done, setDone] = useState(false);
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (v) => (v.trim() ? null : t('fields.required')) },
  });
  const send = useOpMutation('auth.forgotPassword', {
    form,
    notify: false,
    input: (v: { email: string }) => ({ email: v.email.trim() }),
    onSuccess: () => setDone(true),
  });
  return (
    <AuthLayout title={t('recovery.forgot.title')} intro={t('recovery.forgot.intro')}>
      {done ? (
        <Stack>
          <Alert color="teal" role="status">
            {t('recovery.forgot.sent', { email: form.values.email.trim() })}
          </Alert>
          <Button component="a" href="#/reset-password" variant="light">
            {t('recovery.forgot.haveCode')}
          </Button>
          <Anchor href="#/">{t('recovery.backToSignIn')}</Anchor>
        </Stack>
      ) : (
        <form noValidate onSubmit={form.onSubmit((v) => send.mutate(v))}>
          <Stack>
            <FormError message={send.errorText} />
            <TextInput label={t('recovery.email')} type="email" required autoFocus {...form.getInputProps('email')} />
            <Button type="submit" size="lg" loading={send.isPending}>
              {t('recovery.forgot.submit')}
            </Button>
            <Anchor href="#/">{t('recovery.backToSignIn')}</Anchor>
          </Stack>
        </form>
      )}
    </AuthLayout>
  );
}
