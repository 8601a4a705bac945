import type { ReactNode } from 'react';
import { Alert, Modal, Stack, Text } from '@mantine/core';
import { ModalActions } from './ModalActions';

interface Props {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** What will happen, in a sentence (or more). */
  children: ReactNode;
  /** Why the last attempt failed, shown above the buttons. */
  error?: string | null;
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
  color?: string;
}

/** "Are you sure?": a sentence, the reason of a refusal, and the two buttons. */
export function ConfirmModal({ opened, onClose, title, children, error, confirmLabel, onConfirm, loading, color }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={title}>
      <Stack>
        {typeof children === 'string' ? <Text>{children}</Text> : children}
        {error && <Alert color="red">{error}</Alert>}
        <ModalActions onCancel={onClose} confirmLabel={confirmLabel} onConfirm={onConfirm} loading={loading} color={color} />
      </Stack>
    </Modal>
  );
}
