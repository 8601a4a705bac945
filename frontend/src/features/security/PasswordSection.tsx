import { PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { useSession } from '../../api/queries';
import type { ChangePasswordInput } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { SectionCard } from '../account/SectionCard';
import { FormError } from '../../ui/FormError';
import { StrengthMeter } from './StrengthMeter';
import { useState } from 'react';

/** "Mot de passe" (SPEC A3): current password, new one with a strength meter. */
export function PasswordSection() {
  const { t } = useTranslation();
  const { account } = useSession();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ChangePasswordInput & { confirm: string }>({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('fields.required')),
      newPassword: (v) => (!v ? t('fields.required') : v.length < 12 ? t('fields.password_too_short') : null),
      confirm: (v, values) => (v === values.newPassword ? null : t('security.password.mismatch')),
    },
  });
  const change = useMutation({
    mutationFn: (v: ChangePasswordInput) => call('account.changePassword', v),
    onSuccess: (res) => {
      form.reset();
      notifications.show({
        color: 'teal',
        message: res.signedOut > 0 ? t('security.password.changedOthers', { count: res.signedOut }) : t('security.password.changed'),
      });
    },
    onError: (err) => {
      const fields = fieldErrors(t, err, ['currentPassword', 'newPassword']);
      if (fields) form.setErrors(fields);
      setFormError(fields ? null : errorMessage(t, err));
    },
  });
  return (
    <SectionCard
      title={t('security.password.title')}
      description={t('security.password.description')}
      dirty={form.isDirty()}
      saving={change.isPending}
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        change.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      })}
    >
      <Stack gap="md" maw={420}>
        <FormError message={formError} />
        <PasswordInput
          label={t('security.password.current')}
          autoComplete="current-password"
          required
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label={t('security.password.new')}
          autoComplete="new-password"
          required
          description={t('security.password.rules')}
          {...form.getInputProps('newPassword')}
        />
        <StrengthMeter password={form.values.newPassword} userInputs={[account.email, account.firstName, account.lastName]} />
        <PasswordInput
          label={t('security.password.confirm')}
          autoComplete="new-password"
          required
          {...form.getInputProps('confirm')}
        />
        <Text fz="sm" c="dimmed">
          {t('security.password.othersSignedOut')}
        </Text>
      </Stack>
    </SectionCard>
  );
}
