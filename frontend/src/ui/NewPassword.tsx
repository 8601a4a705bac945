import type { ReactNode } from 'react';
import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';

/** A field where someone chooses a password: required, and the browser may offer to keep it. */
export function NewPasswordInput(props: PasswordInputProps) {
  return <PasswordInput autoComplete="new-password" required {...props} />;
}

interface FieldsProps<V> {
  form: UseFormReturnType<V>;
  /** The new password's field, and the field typing it again. */
  field: keyof V & string;
  confirmField: keyof V & string;
  label: string;
  description?: string;
  confirmLabel: string;
  /** Shown between the two fields (a strength meter). */
  between?: ReactNode;
}

/** A new password and the same typed again. */
export function NewPasswordFields<V>({ form, field, confirmField, label, description, confirmLabel, between }: FieldsProps<V>) {
  return (
    <>
      <NewPasswordInput label={label} description={description} {...form.getInputProps(field)} />
      {between}
      <NewPasswordInput label={confirmLabel} {...form.getInputProps(confirmField)} />
    </>
  );
}

/** The validation of the field typing the password again. */
export function samePassword<V>(field: keyof V, message: string) {
  return (value: unknown, values: V) => (value === values[field] ? null : message);
}
