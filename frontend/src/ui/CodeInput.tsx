import { TextInput, type TextInputProps } from '@mantine/core';

/** A short code typed from a message or an authenticator app: digits, at most `length` characters. */
export function CodeInput({ length, ...props }: TextInputProps & { length: number }) {
  return <TextInput inputMode="numeric" autoComplete="one-time-code" maxLength={length} w={80 + 20 * length} required {...props} />;
}
