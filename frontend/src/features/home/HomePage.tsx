import { useState, type ReactNode } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconChevronRight, IconFolder } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useOp } from '../../api/ops';
import { useSession } from '../../api/queries';
import type { HomeTask, HomeWaiting } from '../../api/types.gen';
import { SuspendedNotice } from '../orgs/SuspendedNotice';
import { PageHeader } from '../../ui/PageHeader';
import { formatDay } from '../../ui/dates';
import { dossierPath } from './DossierLink';

function Section({ title, hint, count, children }: { title: string; hint?: string; count?: ReactNode; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label={title}>
      <Group justify="space-between" align="baseline" mb={hint ? 2 : 'sm'} wrap="nowrap">
        <Title order={2} fz="lg">
          {title}
        </Title>
        {count}
      </Group>
      {hint && (
        <Text c="dimmed" fz="sm" mb="sm">
          {hint}
        </Text>
      )}
      {children}
    </Card>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" fz="sm">
      {children}
    </Text>
  );
}

/** One line that opens a dossier's page. */
function Line({ to, label, children }: { to: string; label: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} aria-label={label} underline="never" c="inherit" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Group justify="space-between" wrap="nowrap" gap="sm" py={8} px={4}>
        <div style={{ minWidth: 0, flex: 1 }}>{children}</div>
        <IconChevronRight size={18} stroke={1.6} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} />
      </Group>
    </Anchor>
  );
}

function TaskLine({ task, many }: { task: HomeTask; many: boolean }) {
  const { t } = useTranslation();
  const late = task.lateDays > 0;
  return (
    <Line to={dossierPath(task.dossier.id, 'tasks')} label={`${task.title} — ${t('home.openTask', { name: task.dossier.name })}`}>
      <Text fw={500} truncate title={task.title}>
        {task.title}
      </Text>
      <Group gap="xs" wrap="wrap" style={{ rowGap: 0 }}>
        {late && (
          <Text fz="sm" c="red" fw={600} span>
            <IconAlertTriangle size={14} style={{ verticalAlign: -2, marginRight: 4 }} aria-hidden />
            {t('home.late', { count: task.lateDays })}
          </Text>
        )}
        <Text fz="sm" c={late ? 'red' : 'dimmed'} span>
          {task.dueDate ? t('home.dueOn', { date: formatDay(task.dueDate) }) : t('home.noDue')}
        </Text>
        {many && (
          <Text fz="sm" c="dimmed" span truncate title={task.dossier.name} maw="100%">
            <IconFolder size={14} style={{ verticalAlign: -2, marginRight: 4 }} aria-hidden />
            {task.dossier.name}
          </Text>
        )}
      </Group>
    </Line>
  );
}

function WaitingLine({ w }: { w: HomeWaiting }) {
  const { t } = useTranslation();
  const { id, name, closed } = w.dossier;
  // The line opens what waits: the tasks, else the invitations (with the
  // members, as are those away), else the closed dossier's company page.
  const page = w.dueThisWeek ? 'tasks' : w.pendingInvitations || w.away?.length ? 'users' : 'company';
  return (
    <Line to={dossierPath(id, page)} label={`${name} — ${t('home.open')}`}>
      <Group gap="xs" wrap="nowrap">
        <Text fw={500} truncate title={name}>
          {name}
        </Text>
        {closed && (
          <Badge color="gray" variant="light" style={{ flexShrink: 0 }}>
            {t('home.closedBadge')}
          </Badge>
        )}
      </Group>
      <Group gap="md" wrap="wrap">
        {!!w.dueThisWeek && (
          <Text fz="sm" c="dimmed" span>
            {t('home.dueWeek', { count: w.dueThisWeek })}
          </Text>
        )}
        {!!w.pendingInvitations && (
          <Text fz="sm" c="dimmed" span>
            {t('home.invitations', { count: w.pendingInvitations })}
          </Text>
        )}
        {closed && (
          <Text fz="sm" c="dimmed" span>
            {t('home.closed')}
          </Text>
        )}
        {!!w.away?.length && (
          <Text fz="sm" c="dimmed" span>
            {t('away.homeAway', {
              list: w.away.map((a) => (a.returnsOn ? t('away.homeUntil', { name: a.name, date: formatDay(a.returnsOn) }) : a.name)).join(', '),
            })}
          </Text>
        )}
      </Group>
    </Line>
  );
}

/**
 * The first lines of a long list, and a button for the others: an accountant
 * in hundreds of dossiers sees what matters at once, and the page draws a few
 * dozen lines instead of hundreds before it can be read.
 */
function FirstLines<T>({ items, first, children }: { items: T[]; first: number; children: (item: T) => ReactNode }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, first);
  return (
    <>
      <Stack gap={0}>{shown.map(children)}</Stack>
      {items.length > shown.length && (
        <Button variant="subtle" size="compact-sm" mt="xs" onClick={() => setAll(true)}>
          {t('home.showMore', { count: items.length - shown.length })}
        </Button>
      )}
    </>
  );
}

/** The account's home: its tasks across its dossiers, late ones first, and what waits in each dossier. */
export function HomePage() {
  const { t } = useTranslation();
  const home = useOp('home.summary', {});
  const data = home.data;
  const single = data && data.dossiers === 1;
  const { organization } = useSession();
  const subtitle = !data
    ? undefined
    : data.dossiers === 0
      ? t('home.subtitleNone')
      : single && organization?.name
        ? t('home.subtitleOne', { name: organization.name })
        : t('home.subtitleMany', { count: data.dossiers });

  return (
    <>
      <PageHeader title={t('home.title')} subtitle={subtitle} />
      <SuspendedNotice />
      {home.isPending && <Loader size="sm" aria-label={t('home.title')} />}
      {home.isError && (
        <Alert color="red" title={t('home.loadError')}>
          <Button variant="default" size="xs" onClick={() => void home.refetch()}>
            {t('home.retry')}
          </Button>
        </Alert>
      )}
      {data && (
        <Stack gap="lg" maw={880}>
          <Section
            title={t('home.tasks')}
            count={
              data.tasksTotal > 0 && (
                <Text c="dimmed" fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  {t('home.tasksCount', { count: data.tasksTotal })}
                </Text>
              )
            }
          >
            {data.tasks.length === 0 ? (
              <Empty>{t('home.tasksEmpty')}</Empty>
            ) : (
              <FirstLines items={data.tasks} first={20}>
                {(task) => <TaskLine key={task.id} task={task} many={!single} />}
              </FirstLines>
            )}
            {data.tasksTotal > data.tasks.length && (
              <Text c="dimmed" fz="sm" mt="sm">
                {t('home.tasksShown', { shown: data.tasks.length, total: data.tasksTotal })}
              </Text>
            )}
          </Section>

          <Section title={t('home.waiting')} hint={t('home.waitingHint')}>
            {data.waiting.length === 0 ? (
              <Empty>{t('home.waitingEmpty')}</Empty>
            ) : (
              <FirstLines items={data.waiting} first={10}>
                {(w) => <WaitingLine key={w.dossier.id} w={w} />}
              </FirstLines>
            )}
          </Section>

          <Section title={t('home.responsible')}>
            {data.responsible.length === 0 ? (
              <Empty>{t('home.responsibleEmpty')}</Empty>
            ) : (
              <FirstLines items={data.responsible} first={10}>
                {(d) => (
                  <Line key={d.id} to={dossierPath(d.id, 'company')} label={`${d.name} — ${t('home.open')}`}>
                    <Group gap="xs" wrap="nowrap">
                      <Text fw={500} truncate title={d.name}>
                        {d.name}
                      </Text>
                      {d.closed && <Badge color="gray" variant="light">{t('home.closedBadge')}</Badge>}
                    </Group>
                  </Line>
                )}
              </FirstLines>
            )}
          </Section>
        </Stack>
      )}
    </>
  );
}
