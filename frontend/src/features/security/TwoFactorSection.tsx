import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, Image, List, Modal, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useClipboard } from '@mantine/hooks';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../../api/files';
import { useOp, useOpMutation } from '../../api/ops';
import type { OperationName, TwoFactorEnrollment } from '../../api/types.gen';
import { errorMessage } from '../../i18n/errors';
import { SectionCard } from '../../ui/SectionCard';
import { CodeInput } from '../../ui/CodeInput';
import { FormError } from '../../ui/FormError';
import { ModalActions } from '../../ui/ModalActions';
import { printText } from '../../ui/printText';

/** Turning the second step on or off changes its status and what the session may do. */
const TWO_FACTOR_ANSWERS: OperationName[] = ['twoFactor.status', 'session.current'];

/** "Validation en deux étapes" (SPEC A6): enrol with a QR code, recovery codes, disable. */
export function TwoFactorSection() {
  const { t } = useTranslation();
  const status = useOp('twoFactor.status', {});
  const [enrollment, setEnrollment] = useState<TwoFactorEnrollment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [disabling, setDisabling] = useState(false);

  const begin = useOpMutation('twoFactor.begin', { notify: false, onSuccess: (e) => setEnrollment(e) });
  const confirmForm = useForm({ initialValues: { code: '' }, validate: { code: (v) => (v.trim() ? null : t('fields.required')) } });
  const confirm = useOpMutation('twoFactor.confirm', {
    form: confirmForm,
    notify: false,
    input: (v: { code: string }) => ({ code: v.code.trim() }),
    invalidates: TWO_FACTOR_ANSWERS,
    onSuccess: (res) => {
      setEnrollment(null);
      setCodes(res.codes);
      confirmForm.reset();
    },
  });
  const formError = begin.submittedAt >= confirm.submittedAt ? begin.errorText : confirm.errorText;

  const st = status.data;
  return (
    <SectionCard title={t('security.twoFactor.title')} description={t('security.twoFactor.description')}>
      <FormError message={formError} />
      {status.isPending && <Text c="dimmed">{t('common.loading')}</Text>}
      {status.isError && <Text c="red">{errorMessage(t, status.error)}</Text>}
      {codes && (
        <Alert color="teal" title={t('security.twoFactor.codesTitle')}>
          <Stack gap="sm">
            <Text fz="sm">{t('security.twoFactor.codesIntro')}</Text>
            <SimpleGrid cols={2} data-testid="recovery-codes" maw={360}>
              {codes.map((c) => (
                <Code key={c} fz="md">
                  {c}
                </Code>
              ))}
            </SimpleGrid>
            <RecoveryCodeActions codes={codes} />
            <Group>
              <Button onClick={() => setCodes(null)}>{t('security.twoFactor.codesDone')}</Button>
            </Group>
          </Stack>
        </Alert>
      )}
      {st && !st.enabled && !enrollment && !codes && (
        <Stack gap="sm" align="flex-start">
          <Badge color="gray" variant="light" size="lg" tt="none">
            {t('security.twoFactor.off')}
          </Badge>
          <Button onClick={() => begin.mutate({})} loading={begin.isPending}>
            {t('security.twoFactor.enable')}
          </Button>
        </Stack>
      )}
      {enrollment && (
        <form
          noValidate
          onSubmit={confirmForm.onSubmit((v) => confirm.mutate(v))}
        >
          <Stack gap="md">
            <List type="ordered" spacing="xs" fz="sm">
              <List.Item>{t('security.twoFactor.step1')}</List.Item>
              <List.Item>{t('security.twoFactor.step2')}</List.Item>
              <List.Item>{t('security.twoFactor.step3')}</List.Item>
            </List>
            <Group align="flex-start" gap="xl">
              <Image src={enrollment.qrCode} alt={t('security.twoFactor.qrAlt')} w={200} h={200} />
              <Stack gap={4}>
                <Text fz="sm" c="dimmed">
                  {t('security.twoFactor.secretLabel')}
                </Text>
                <Code fz="md" data-testid="totp-secret">
                  {enrollment.secret}
                </Code>
              </Stack>
            </Group>
            <CodeInput length={6} label={t('security.twoFactor.codeLabel')} {...confirmForm.getInputProps('code')} />
            <Group>
              <Button type="submit" loading={confirm.isPending}>
                {t('security.twoFactor.confirm')}
              </Button>
              <Button variant="subtle" onClick={() => setEnrollment(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {st?.enabled && !codes && (
        <Stack gap="sm" align="flex-start">
          <Badge color="teal" variant="light" size="lg" tt="none">
            {t('security.twoFactor.on')}
          </Badge>
          <Text fz="sm">{t('security.twoFactor.codesLeft', { count: st.recoveryCodesLeft })}</Text>
          <Button variant="default" color="red" onClick={() => setDisabling(true)}>
            {t('security.twoFactor.disable')}
          </Button>
        </Stack>
      )}
      <DisableModal opened={disabling} onClose={() => setDisabling(false)} />
    </SectionCard>
  );
}

function DisableModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const form = useForm({
    initialValues: { password: '', code: '' },
    validate: { password: (v) => (v ? null : t('fields.required')), code: (v) => (v.trim() ? null : t('fields.required')) },
  });
  const disable = useOpMutation('twoFactor.disable', {
    form,
    notify: false,
    invalidates: TWO_FACTOR_ANSWERS,
    onSuccess: () => {
      form.reset();
      onClose();
      notifications.show({ color: 'teal', message: t('security.twoFactor.disabled') });
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('security.twoFactor.disableTitle')} centered>
      <form noValidate onSubmit={form.onSubmit((v) => disable.mutate(v))}>
        <Stack gap="md">
          <Text fz="sm">{t('security.twoFactor.disableIntro')}</Text>
          <FormError message={disable.errorText} />
          <PasswordInput label={t('security.password.current')} autoComplete="current-password" required {...form.getInputProps('password')} />
          <TextInput label={t('security.twoFactor.codeOrRecovery')} autoComplete="one-time-code" required {...form.getInputProps('code')} />
          <ModalActions onCancel={onClose} confirmLabel={t('security.twoFactor.disableConfirm')} color="red" loading={disable.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Shown at the top of "Mon compte" when the organization requires two-factor sign-in. */
export function TwoFactorRequiredAlert({ required }: { required: boolean }) {
  const { t } = useTranslation();
  if (!required) return null;
  return (
    <Alert color="orange" title={t('security.twoFactor.requiredTitle')}>
      {t('security.twoFactor.requiredBody')}
    </Alert>
  );
}

/** Copy, download as a text file, or print the recovery codes: they are shown once. */
function RecoveryCodeActions({ codes }: { codes: string[] }) {
  const { t } = useTranslation();
  const clipboard = useClipboard({ timeout: 2000 });
  const title = t('security.twoFactor.codesFileTitle');
  const lines = [t('security.twoFactor.codesFileIntro'), '', ...codes];
  return (
    <Group gap="xs">
      <Button variant="default" size="xs" onClick={() => clipboard.copy(codes.join('\n'))}>
        {clipboard.copied ? t('security.twoFactor.codesCopied') : t('security.twoFactor.codesCopy')}
      </Button>
      <Button variant="default" size="xs" onClick={() => void saveFile({ filename: t('security.twoFactor.codesFileName'), contentType: 'text/plain', content: [title, '', ...lines].join('\r\n') + '\r\n' })}>
        {t('security.twoFactor.codesDownload')}
      </Button>
      <Button variant="default" size="xs" onClick={() => printText(title, lines)}>
        {t('security.twoFactor.codesPrint')}
      </Button>
    </Group>
  );
}
