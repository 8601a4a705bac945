import { useEffect } from 'react';
import { Button, Card, Group, NumberInput, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import { FormError } from '../../ui/FormError';
import { MAIL_PRESETS, presetOf } from './presets';
import { useCanWrite } from '../../api/rights';

/** SMTP settings (SPEC H5): the password is never shown again once saved. */
export function MailSettingsCard() {
  const { t } = useTranslation();
  const settings = useOp('mail.settings', {});
  const form = useForm({
    initialValues: { host: '', port: 587 as number | string, security: 'starttls', username: '', password: '', sender: '' },
  });
  const data = settings.data;
  useEffect(() => {
    if (data) form.setValues({ host: data.host, port: data.port, security: data.security, username: data.username, password: '', sender: data.sender });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  const save = useOpMutation('mail.saveSettings', {
    form,
    notify: false,
    input: (v: typeof form.values) => ({ ...v, port: Number(v.port), password: v.password ? v.password : undefined }),
    updates: 'mail.settings',
    invalidates: ['outbox.list'],
    onSuccess: () => notifications.show({ color: 'teal', message: t('mail.saved') }),
  });
  const test = useOpMutation('mail.sendTest', {
    invalidates: ['outbox.list'],
    onSuccess: () => notifications.show({ color: 'teal', message: t('mail.testQueued') }),
  });
  const canWrite = useCanWrite();
  // Set by the server's operator, or read-only while the organization is closed.
  const locked = !!data?.managedByServer || !canWrite('org.edit');
  const preset = presetOf(form.values.host);
  const choose = (key: string | null) => {
    const p = MAIL_PRESETS.find((x) => x.key === key);
    if (p) form.setValues({ host: p.host, port: p.port, security: p.security });
  };
  return (
    <Card>
      <Text fw={600} mb="xs">
        {t('mail.title')}
      </Text>
      <Text size="sm" c="dimmed" mb="md">
        {locked && `${t('mail.managedByServer')} `}
        {data?.configured ? t('mail.configured') : t('mail.notConfigured')}
      </Text>
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <FormError message={save.errorText} />
          {!locked && (
            <Select
              label={t('mail.provider')}
              description={t('mail.providerHint')}
              placeholder={t('mail.providerOther')}
              data={MAIL_PRESETS.map((p) => ({ value: p.key, label: t(`mail.presets.${p.key}.name`) }))}
              value={preset?.key ?? null}
              onChange={choose}
              allowDeselect={false}
            />
          )}
          {preset && !locked && (
            <Text size="sm" c="dimmed" data-testid="mail-preset-advice">
              {t(`mail.presets.${preset.key}.advice`)}
            </Text>
          )}
          <Group grow>
            <TextInput label={t('mail.host')} placeholder="smtp.example.fr" disabled={locked} {...form.getInputProps('host')} />
            <NumberInput label={t('mail.port')} min={1} max={65535} disabled={locked} {...form.getInputProps('port')} />
            <Select
              label={t('mail.security')}
              disabled={locked}
              data={['starttls', 'tls', 'none'].map((v) => ({ value: v, label: t(`mail.securities.${v}`) }))}
              {...form.getInputProps('security')}
            />
          </Group>
          <Group grow>
            <TextInput label={t('mail.username')} disabled={locked} {...form.getInputProps('username')} />
            <PasswordInput
              label={t('mail.password')}
              placeholder={data?.passwordSet ? t('mail.passwordKept') : ''}
              disabled={locked}
              {...form.getInputProps('password')}
            />
          </Group>
          <TextInput label={t('mail.sender')} placeholder="Atrium <atrium@example.fr>" disabled={locked} {...form.getInputProps('sender')} />
          <Group justify="flex-end">
            {canWrite('org.edit') && (
              <Button variant="default" onClick={() => test.mutate({})} loading={test.isPending}>
                {t('mail.sendTest')}
              </Button>
            )}
            {!locked && (
              <Button type="submit" loading={save.isPending}>
                {t('mail.save')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
