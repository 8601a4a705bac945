import { useState } from 'react';
import { Button, Divider, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { keys } from '../../api/queries';
import { isApiError } from '../../api/errors';
import type { CreateWorkspaceInput, SetupStatus } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';
import { focusFirstError } from '../../ui/focusFirstError';
import { defaultTimeZone } from './timezones';
import { TimezoneSelect } from './TimezoneSelect';

type Values = Omit<CreateWorkspaceInput, 'language'>;
const FIELDS: (keyof Values)[] = ['firstName', 'lastName', 'email', 'password', 'organizationName', 'timezone'];

export function FirstRunPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);

  const required = (v: string) => (v.trim() ? null : t('fields.required'));
  const form = useForm<Values>({
    initialValues: {
      firstName: '',
      lastName: '',
      email: '',
      password: '',
      organizationName: '',
      timezone: defaultTimeZone(),
    },
    validate: {
      firstName: required,
      lastName: required,
      email: required,
      password: (v) => (v ? null : t('fields.required')),
      organizationName: required,
      timezone: required,
    },
  });

  const create = useMutation({
    mutationFn: (values: Values) =>
      call('setup.createWorkspace', {
        ...values,
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        email: values.email.trim(),
        organizationName: values.organizationName.trim(),
        language: i18n.language,
      }),
    onSuccess: (session) => {
      client.setQueryData(keys.session, session);
      client.setQueryData<SetupStatus>(keys.setupStatus, (prev) => ({ version: prev?.version ?? '', needsSetup: false }));
      notifications.show({ color: 'teal', message: t('setup.welcome') });
    },
    onError: (err) => {
      if (isApiError(err) && err.code === 'setup_done') {
        void client.invalidateQueries({ queryKey: keys.setupStatus });
      }
      const fields = fieldErrors(t, err, FIELDS);
      if (fields) {
        form.setErrors(fields);
        setFormError(null);
      } else {
        setFormError(errorMessage(t, err));
      }
    },
  });

  return (
    <AuthLayout title={t('setup.title')} intro={t('setup.intro')} width={580}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          create.mutate(values);
        }, focusFirstError)}
      >
        <Stack gap="md">
          <FormError message={formError} />
          <Divider label={t('setup.you')} labelPosition="left" />
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
            <TextInput label={t('setup.firstName')} autoComplete="given-name" required {...form.getInputProps('firstName')} />
            <TextInput label={t('setup.lastName')} autoComplete="family-name" required {...form.getInputProps('lastName')} />
          </SimpleGrid>
          <TextInput
            label={t('setup.email')}
            description={t('setup.emailHint')}
            type="email"
            autoComplete="email"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
            label={t('setup.password')}
            description={t('setup.passwordHint')}
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Divider label={t('setup.company')} labelPosition="left" mt="xs" />
          <TextInput
            label={t('setup.organizationName')}
            autoComplete="organization"
            required
            {...form.getInputProps('organizationName')}
          />
          <TimezoneSelect
            label={t('setup.timezone')}
            description={t('setup.timezoneHint')}
            {...form.getInputProps('timezone')}
          />
          <Button type="submit" size="lg" mt="sm" loading={create.isPending} fullWidth>
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
