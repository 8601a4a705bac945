import { Alert, Badge, Button, Card, CopyButton, Group, Loader, Stack, Text } from '@mantine/core';
import { IconCopy, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import type { OutboxItem } from '../../api/types.gen';
import { PageHeader } from '../../ui/PageHeader';
import { useDossierDates } from '../../ui/dates';
import { MailSettingsCard } from '../mail/MailSettingsCard';
import { useCanWrite } from '../../api/rights';

const statusColor: Record<string, string> = { local: 'blue', pending: 'yellow', sending: 'yellow', sent: 'teal', failed: 'red' };

/** "Boîte d'envoi" (SPEC H5): what was sent, and what waits to be read here when no SMTP server is set. */
export function OutboxPage() {
  const { t } = useTranslation();
  const list = useOp('outbox.list', {}, { refetchInterval: 5000 });
  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader title={t('outbox.title')} subtitle={t('outbox.subtitle')} />
      <Stack>
        <MailSettingsCard />
        {list.data && !list.data.configured && (
          <Alert color="blue">{t('outbox.localNotice')}</Alert>
        )}
        {list.isPending && <Loader />}
        {list.isSuccess && !items.length && (
          <Card>
            <Text c="dimmed">{t('outbox.empty')}</Text>
          </Card>
        )}
        {items.map((m) => (
          <OutboxCard key={m.id} m={m} configured={!!list.data?.configured} />
        ))}
      </Stack>
    </>
  );
}

function OutboxCard({ m, configured }: { m: OutboxItem; configured: boolean }) {
  const dates = useDossierDates();
  const { t } = useTranslation();
  const retry = useOpMutation('outbox.retry', { invalidates: ['outbox.list'] });
  const canWrite = useCanWrite();
  return (
    <Card data-testid="outbox-message">
      <Group justify="space-between" wrap="wrap">
        <div>
          <Text fw={600}>{m.subject}</Text>
          <Text size="sm" c="dimmed">
            {t('outbox.to', { to: m.to })} · {dates.dateTime(m.createdAt)}
          </Text>
        </div>
        {/* A local message the admin may not read is not theirs to pass on. */}
        {m.withheld && m.status === 'local' ? (
          <Badge color="gray" variant="light">
            {t('outbox.status.withheld')}
          </Badge>
        ) : (
          <Badge color={statusColor[m.status] ?? 'gray'} variant="light">
            {t(`outbox.status.${m.status}`)}
          </Badge>
        )}
      </Group>
      {m.lastReason && m.status !== 'sent' && (
        <Text size="sm" c="red" mt="xs">
          {/* An interrupted send was never counted as an attempt. */}
          {m.attempts > 0 && `${t('outbox.lastError', { count: m.attempts })} `}
          {t(`outbox.reasons.${m.lastReason}`, { defaultValue: t('outbox.reasons.other') })}
        </Text>
      )}
      {m.status === 'pending' && m.attempts > 0 && m.nextAt && (
        <Text size="sm" c="dimmed">
          {t('outbox.nextAttempt', { when: dates.dateTime(m.nextAt) })}
        </Text>
      )}
      {m.withheld && (
        // A secret meant for a person is shown only to who could already act for them.
        <Alert mt="sm" color="gray" variant="light" icon={<IconLock size={18} />} data-testid="outbox-withheld">
          {t(`outbox.withheld.${m.withheld}`, { defaultValue: t('outbox.withheld.personal') })}
          {m.withheld === 'other_organization' && !configured && ` ${t('outbox.withheld.noSmtp')}`}
        </Alert>
      )}
      {(m.code || m.link) && (
        <Group mt="sm" gap="sm">
          {m.code && (
            <CopyButton value={m.code}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" leftSection={<IconCopy size={14} />} onClick={copy}>
                  {copied ? t('outbox.copied') : t('outbox.copyCode', { code: m.code })}
                </Button>
              )}
            </CopyButton>
          )}
          {m.link && (
            <CopyButton value={m.link}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" leftSection={<IconCopy size={14} />} onClick={copy}>
                  {copied ? t('outbox.copied') : t('outbox.copyLink')}
                </Button>
              )}
            </CopyButton>
          )}
        </Group>
      )}
      {m.text && (
        <Text size="sm" mt="sm" style={{ whiteSpace: 'pre-wrap' }} c="gray.7">
          {m.text}
        </Text>
      )}
      {m.status === 'failed' && canWrite('org.edit') && (
        <Button size="xs" mt="sm" variant="light" loading={retry.isPending} onClick={() => retry.mutate({ messageId: m.id })}>
          {t('outbox.retry')}
        </Button>
      )}
    </Card>
  );
}
