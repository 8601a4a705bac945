import { useState } from 'react';
import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n/errors';
import { JobProgress, useExport } from '../jobs/JobProgress';

/**
 * "Mes données" (SPEC E3): a copy of everything Atrium keeps about the
 * person, as one JSON file, through the save dialog on the desktop or a
 * download in the browser, with its progress while it is read.
 */
export function MyDataCard() {
  const { t } = useTranslation();
  const titleId = useId();
  const [error, setError] = useState('');
  const exp = useExport('account.exportData', () => ({}), (err) => setError(errorMessage(t, err)));
  const start = () => {
    setError('');
    exp.start();
  };

  return (
    <Card component="section" aria-labelledby={titleId} withBorder>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="lg" wrap="nowrap">
          <Stack gap={4}>
            <Title order={2} fz="lg" id={titleId}>
              {t('account.myData.title')}
            </Title>
            <Text c="dimmed" fz="sm">
              {t('account.myData.text')}
            </Text>
          </Stack>
          <Button variant="default" leftSection={<IconDownload size={18} />} onClick={start} style={{ flexShrink: 0 }}
            data-disabled={exp.running || undefined} aria-disabled={exp.running}>
            {t('account.myData.export')}
          </Button>
        </Group>
        {exp.running && <JobProgress name="account.exportData" />}
        {error && (
          <Alert color="red" variant="light" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
