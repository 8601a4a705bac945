import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { keys } from '../../api/queries';
import type { SignInInput } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';
import { focusFirstError } from '../../ui/focusFirstError';

export function SignInPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
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
        </Stack>
      </form>
    </AuthLayout>
  );
}
