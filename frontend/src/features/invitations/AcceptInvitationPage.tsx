import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Divider, Loader, Paper, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { useOp, useOpMutation } from '../../api/ops';
import { acceptSession } from '../../api/queries';
import type { SessionInfo } from '../../api/types.gen';
import { failureText } from '../../i18n/errors';
import { AuthLayout } from '../../ui/AuthLayout';
import { FormError } from '../../ui/FormError';
import { NewPasswordInput } from '../../ui/NewPassword';

// A button whose sentence wraps on a narrow page instead of being cut.
const wrapping = { size: 'md', variant: 'light', h: 'auto', py: 'xs', styles: { label: { whiteSpace: 'normal', textAlign: 'center' } } } as const;

/**
 * The page an invitation's link opens (SPEC C4), or where its code is typed:
 * a new person creates an account; someone with an account signs in and joins.
 * Both are offered side by side: the page is not told which one fits.
 */
export function AcceptInvitationPage({ token: linkToken, signedIn }: { token: string; signedIn: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [code, setCode] = useState('');
  const [typed, setTyped] = useState('');
  const ref = linkToken ? { token: linkToken, code: '' } : { token: '', code };
  const lookup = useOp('invitations.lookup', ref, { enabled: !!(ref.token || ref.code), retry: false });
  // Closed since the page was opened: the same plain sentence as on opening.
  const failure = (text: string | null, err: unknown) =>
    isApiError(err) && err.code === 'org_closed' ? t('invitations.accept.orgClosed') : text;
  const form = useForm({
    initialValues: { title: '', firstName: '', lastName: '', mobilePhone: '', password: '' },
    validate: { password: (v) => (v ? null : t('fields.required')) },
  });
  const invited = lookup.data;
  useEffect(() => {
    if (invited) form.setValues({ firstName: invited.firstName, lastName: invited.lastName });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [invited]);
  const joined = (session: SessionInfo) => {
    window.location.hash = '#/';
    acceptSession(client, session);
  };
  const accept = useOpMutation('invitations.accept', {
    form,
    notify: false,
    input: (v: typeof form.values) => ({ ...ref, ...v }),
    onSuccess: joined,
  });
  const join = useOpMutation('invitations.join', { notify: false, onSuccess: joined });
  // The last of the two attempts says why it failed.
  const last = accept.submittedAt >= join.submittedAt ? accept : join;
  const formError = failure(last.errorText, last.error);

  if (!ref.token && !ref.code) {
    return (
      <AuthLayout title={t('invitations.accept.title')} intro={t('invitations.accept.typeCode')}>
        <form noValidate onSubmit={(e) => (e.preventDefault(), setCode(typed.trim()))}>
          <Stack>
            <TextInput label={t('invitations.accept.code')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoFocus />
            <Button type="submit">{t('invitations.accept.continue')}</Button>
            <Anchor href="#/">{t('recovery.backToSignIn')}</Anchor>
          </Stack>
        </form>
      </AuthLayout>
    );
  }
  if (lookup.isPending) return <AuthLayout title={t('invitations.accept.title')}><Loader /></AuthLayout>;
  if (lookup.isError) {
    const closed = isApiError(lookup.error) && lookup.error.code === 'org_closed';
    return (
      <AuthLayout title={t('invitations.accept.title')}>
        <Stack>
          <Alert color={closed ? 'yellow' : 'red'} role="alert">
            {closed ? t('invitations.accept.orgClosed') : failureText(t, lookup.error)}
          </Alert>
          {!closed && <Text size="sm">{t('invitations.accept.askAgain')}</Text>}
          <Anchor href="#/">{t('recovery.backToSignIn')}</Anchor>
        </Stack>
      </AuthLayout>
    );
  }
  const inv = lookup.data;
  const intro = t('invitations.accept.intro', { organization: inv.organization });
  return (
    <AuthLayout title={t('invitations.accept.createTitle', { organization: inv.organization })} intro={intro}>
      <Stack>
        <FormError message={formError} />
        {/* Both paths, always: the page is public, so it is never told
            whether the address already has an account. */}
        <Paper withBorder p="md">
          <Stack gap="xs">
            {signedIn ? (
              <>
                <Button {...wrapping} loading={join.isPending} onClick={() => join.mutate(ref)}>
                  {t('invitations.accept.joinButton')}
                </Button>
                <Text size="sm" c="dimmed">
                  {t('invitations.accept.joinHint', { email: inv.email })}
                </Text>
              </>
            ) : (
              <>
                <Button component="a" href={`#/?next=${encodeURIComponent(window.location.hash)}`} {...wrapping}>
                  {t('invitations.accept.signInToJoin')}
                </Button>
                <Text size="sm" c="dimmed">
                  {t('invitations.accept.signInFirst', { email: inv.email })}
                </Text>
              </>
            )}
          </Stack>
        </Paper>
        <Divider label={t('invitations.accept.or')} labelPosition="center" />
        <Title order={2} size="h4">
          {t('invitations.accept.createMine')}
        </Title>
        <form noValidate onSubmit={form.onSubmit((v) => accept.mutate(v))}>
          <Stack>
            <TextInput label={t('recovery.email')} value={inv.email} readOnly />
            <SegmentedControl
              aria-label={t('invitations.accept.civility')}
              data={[
                { value: '', label: t('invitations.accept.noTitle') },
                { value: 'mme', label: t('invitations.accept.mme') },
                { value: 'm', label: t('invitations.accept.m') },
              ]}
              {...form.getInputProps('title')}
            />
            <TextInput label={t('invitations.firstName')} placeholder={inv.firstName} {...form.getInputProps('firstName')} />
            <TextInput label={t('invitations.lastName')} placeholder={inv.lastName} {...form.getInputProps('lastName')} />
            <TextInput label={t('invitations.accept.phone')} type="tel" {...form.getInputProps('mobilePhone')} />
            <NewPasswordInput
              label={t('recovery.reset.password')}
              description={t('recovery.reset.passwordHint')}
              {...form.getInputProps('password')}
            />
            <Button type="submit" size="lg" loading={accept.isPending}>
              {t('invitations.accept.create')}
            </Button>
          </Stack>
        </form>
      </Stack>
    </AuthLayout>
  );
}
