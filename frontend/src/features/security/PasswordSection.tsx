import { PasswordInput, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { useSession } from '../../api/queries';
import type { ChangePasswordInput } from '../../api/types.gen';
import { SectionCard } from '../../ui/SectionCard';
import { FormError } from '../../ui/FormError';
import { NewPasswordFields, samePassword } from '../../ui/NewPassword';
import { StrengthMeter } from './StrengthMeter';

/** "Mot de passe" (SPEC A3): current password, new one with a strength meter. */
export function PasswordSection() {
  const { t } = useTranslation();
  const { account } = useSession();
  const form = useForm<ChangePasswordInput & { confirm: string }>({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : t('fields.required')),
      newPassword: (v) => (!v ? t('fields.required') : v.length < 12 ? t('fields.password_too_short') : null),
      confirm: samePassword('newPassword', t('security.password.mismatch')),
    },
  });
  const change = useOpMutation('account.changePassword', {
    form,
    fields: ['currentPassword', 'newPassword'],
    notify: false,
    input: (v: typeof form.values): ChangePasswordInput => ({ currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: (res) => {
      form.reset();
      notifications.show({
        color: 'teal',
        message: res.signedOut > 0 ? t('security.password.changedOthers', { count: res.signedOut }) : t('security.password.changed'),
      });
    },
  });
  return (
    <SectionCard
      title={t('security.password.title')}
      description={t('security.password.description')}
      dirty={form.isDirty()}
      saving={change.isPending}
      onSubmit={form.onSubmit((v) => change.mutate(v))}
    >
      <Stack gap="md" maw={420}>
        <FormError message={change.errorText} />
        <PasswordInput
          label={t('security.password.current')}
          autoComplete="current-password"
          required
          {...form.getInputProps('currentPassword')}
        />
        <NewPasswordFields
          form={form}
          field="newPassword"
          confirmField="confirm"
          label={t('security.password.new')}
          description={t('security.password.rules')}
          confirmLabel={t('security.password.confirm')}
          between={<StrengthMeter password={form.values.newPassword} userInputs={[account.email, account.firstName, account.lastName]} />}
        />
        <Text fz="sm" c="dimmed">
          {t('security.password.othersSignedOut')}
        </Text>
      </Stack>
    </SectionCard>
  );
}
