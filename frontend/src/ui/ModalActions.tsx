import type { ReactNode } from 'react';
import { Button, Group, type MantineSpacing } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface Props {
  onCancel: () => void;
  cancelLabel?: string;
  confirmLabel: ReactNode;
  /** Without it, the confirming button submits the form around it. */
  onConfirm?: () => void;
  loading?: boolean;
  color?: string;
  disabled?: boolean;
  /** The cancel button is off too (e.g. while an irreversible step runs). */
  busy?: boolean;
  leftSection?: ReactNode;
  mt?: MantineSpacing;
}

/** The foot of a dialog: "Annuler", then the button that does it. */
export function ModalActions({ onCancel, cancelLabel, confirmLabel, onConfirm, loading, color, disabled, busy, leftSection, mt }: Props) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" mt={mt}>
      <Button variant="default" onClick={onCancel} disabled={busy}>
        {cancelLabel ?? t('common.cancel')}
      </Button>
      <Button
        type={onConfirm ? 'button' : 'submit'}
        onClick={onConfirm}
        loading={loading}
        color={color}
        disabled={disabled}
        leftSection={leftSection}
      >
        {confirmLabel}
      </Button>
    </Group>
  );
}
