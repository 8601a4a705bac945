import { Button, Divider, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { acceptSession, keys } from '../../api/queries';
import { isApiError } from '../../api/errors';
import type { CreateWorkspaceInput, SetupStatus } from '../../api/types.gen';
import { AuthLayout } from '../../ui/AuthLayout';
import { SyncStatus } from '../sync/SyncStatus';
import { FormError } from '../../ui/FormError';
import { NewPasswordInput } from '../../ui/NewPassword';
import { focusFirstError } from '../../api/focusFirstError';
import { defaultTimeZone } from '../../ui/timezones';
import { TimezoneSelect } from '../../ui/TimezoneSelect';

type Values = Omit<CreateWorkspaceInput, 'language'>;
const FIELDS: (keyof Values)[] = ['firstName', 'lastName', 'email', 'password', 'organizationName', 'timezone'];

export function FirstRunPage() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();

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

  const create = useOpMutation('setup.createWorkspace', {
    form,
    fields: FIELDS,
    notify: false,
    input: (values: Values) => ({
      ...values,
      firstName: values.firstName.trim(),
      lastName: values.lastName.trim(),
      email: values.email.trim(),
      organizationName: values.organizationName.trim(),
      language: i18n.language,
    }),
    onSuccess: (session) => {
      acceptSession(client, session);
      client.setQueryData<SetupStatus>(keys.setupStatus, (prev) => ({ version: prev?.version ?? '', needsSetup: false }));
      notifications.show({ color: 'teal', message: t('setup.welcome') });
    },
    onError: (err) => {
      if (isApiError(err) && err.code === 'setup_done') {
        void client.invalidateQueries({ queryKey: keys.setupStatus });
      }
    },
  });

  return (
    <AuthLayout title={t('setup.title')} intro={t('setup.intro')} width={580}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => create.mutate(values), focusFirstError)}
      >
        <Stack gap="md">
          <FormError message={create.errorText} />
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
          <NewPasswordInput
            visibilityToggleButtonProps={{ 'aria-label': t('common.showPassword') }}
            label={t('setup.password')}
            description={t('setup.passwordHint')}
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
          <SyncStatus inHeader={false} />
        </Stack>
      </form>
    </AuthLayout>
  );
}
