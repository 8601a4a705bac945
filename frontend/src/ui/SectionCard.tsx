import type { FormEventHandler, ReactNode } from 'react';
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useMarkUnsaved } from './unsaved';

interface Props {
  title: string;
  description?: string;
  children: ReactNode;
  /** When given, the card is a form with its own "Save" button. */
  onSubmit?: FormEventHandler<HTMLFormElement>;
  dirty?: boolean;
  saving?: boolean;
}

export function SectionCard({ title, description, children, onSubmit, dirty = false, saving = false }: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  useMarkUnsaved(!!onSubmit && dirty);
  const body = (
    <Stack gap="lg">
      <div>
        <Title order={2} fz="lg" id={titleId}>
          {title}
        </Title>
        {description && (
          <Text c="dimmed" fz="sm" mt={2}>
            {description}
          </Text>
        )}
      </div>
      {children}
      {onSubmit && (
        <Group justify="flex-end" gap="md">
          {dirty && (
            <Badge variant="light" color="yellow" size="lg" radius="sm" tt="none" fw={500}>
              {t('account.unsaved')}
            </Badge>
          )}
          <Button type="submit" loading={saving} disabled={!dirty}>
            {t('common.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
  return (
    <Card component="section" aria-labelledby={titleId}>
      {onSubmit ? (
        <form noValidate onSubmit={onSubmit}>
          {body}
        </form>
      ) : (
        body
      )}
    </Card>
  );
}
