import { useEffect, useRef } from 'react';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import { patchSessionAccount, useSession } from '../../api/queries';
import type { Account, UpdateProfileInput } from '../../api/types.gen';

interface Options<V extends Record<string, string>> {
  /** The section's form values, read from the account. */
  fromAccount: (account: Account) => V;
  /** Only this section's fields: 'account.updateProfile' leaves the others unchanged. */
  toInput: (values: V) => UpdateProfileInput;
  validate?: Partial<Record<keyof V, (value: string) => string | null>>;
}

/** One independently saved section of the profile: its own form, dirty state, errors and save. */
export function useProfileSection<V extends Record<string, string>>({ fromAccount, toInput, validate }: Options<V>) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const { account } = useSession();
  const form = useForm<V>({ initialValues: fromAccount(account), validate: validate as never });
  const fromAccountRef = useRef(fromAccount);
  fromAccountRef.current = fromAccount;

  // When the account changes elsewhere, follow it unless the user is editing this section.
  const snapshot = JSON.stringify(fromAccount(account));
  useEffect(() => {
    if (form.isDirty()) return;
    const next = JSON.parse(snapshot) as V;
    form.setInitialValues(next);
    form.setValues(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [snapshot]);

  const save = useOpMutation('account.updateProfile', {
    form,
    input: toInput,
    invalidates: ['session.current'],
    onSuccess: (updated) => {
      const next = fromAccountRef.current(updated);
      form.setInitialValues(next);
      form.setValues(next);
      form.clearErrors();
      patchSessionAccount(client, updated);
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });

  const onSubmit = form.onSubmit((values) => save.mutate(values));
  return { form, save, onSubmit, account };
}
