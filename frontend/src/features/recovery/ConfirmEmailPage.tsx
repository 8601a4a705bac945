import { useEffect, useRef } from 'react';
import { Alert, Button, Loader, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import { keys } from '../../api/queries';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { AuthLayout } from '../../ui/AuthLayout';

/** Confirming a new address (SPEC A2): the change happens here, once. */
export function ConfirmEmailPage({ token }: { token: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const confirm = useMutation({
    mutationFn: () => call('account.confirmEmailChange', { token, code: '' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keys.session }),
  });
  const started = useRef(false);
  useEffect(() => {
    if (!started.current) {
      started.current = true;
      confirm.mutate();
    }
  }, [confirm]);
  const err = confirm.error ? (fieldErrors(t, confirm.error, ['token'])?.token ?? errorMessage(t, confirm.error)) : null;
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
