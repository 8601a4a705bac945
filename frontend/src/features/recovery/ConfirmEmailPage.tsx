import { useEffect, useRef } from 'react';
import { Alert, Button, Loader, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { AuthLayout } from '../../ui/AuthLayout';

/** Confirming a new address (SPEC A2): the change happens here, once. */
export function ConfirmEmailPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const confirm = useOpMutation('account.confirmEmailChange', { notify: false, invalidates: ['session.current'] });
  const started = useRef(false);
  useEffect(() => {
    if (!started.current) {
      started.current = true;
      confirm.mutate({ token, code: '' });
    }
  }, [confirm, token]);
  const err = confirm.errorText;
  return (
    <AuthLayout title={t('recovery.confirmEmail.title')}>
      <Stack>
        {confirm.isPending && <Loader aria-label={t('recovery.confirmEmail.checking')} />}
        {confirm.isSuccess && (
          <Alert color="teal" role="status">
            {t('recovery.confirmEmail.done', { email: confirm.data.email })}
          </Alert>
        )}
        {err && (
          <Alert color="red" role="alert">
            {err}
          </Alert>
        )}
        <Button component="a" href="#/" variant="light">
          {t('recovery.continue')}
        </Button>
      </Stack>
    </AuthLayout>
  );
}
