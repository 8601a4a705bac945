import { useEffect, useState } from 'react';
import { Anchor, Button, Card, Center, Divider, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconLock, IconLockOpen, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import { useSession } from '../../api/queries';
import type { FieldConflict, OrgDetails } from '../../api/types.gen';
import { ConflictAlert, settle } from '../../ui/ConflictAlert';
import { errorMessage } from '../../i18n/errors';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { PageHeader } from '../../ui/PageHeader';
import { SectionCard } from '../../ui/SectionCard';
import { useOrgDetails, isClosed } from '../orgs/api';
import { timeZoneLabel } from '../../ui/timezones';
import { CompanyProfileCard } from './CompanyProfileCard';
import { DeleteOrgModal } from './DeleteOrgModal';
import { formatDay } from '../../ui/dates';
import { SecurityPolicyCard } from './SecurityPolicyCard';

interface InfoValues {
  name: string;
  website: string;
  responsibleId: string;
}

const infoValues = (d: OrgDetails): InfoValues => ({ name: d.name, website: d.website, responsibleId: d.responsible?.id ?? '' });

function InfoCard({ details, canEdit }: { details: OrgDetails; canEdit: boolean }) {
  const { t } = useTranslation();
  const form = useForm<InfoValues>({ initialValues: infoValues(details) });
  const members = useOp('orgs.members', {}, { enabled: canEdit });
  const loaded = JSON.stringify(infoValues(details));
  useEffect(() => {
    if (form.isDirty()) return;
    form.setInitialValues(JSON.parse(loaded));
    form.setValues(JSON.parse(loaded));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);
  // What the card showed: the base of a save; a field changed meanwhile by
  // someone else comes back as a conflict, with both values.
  const [shown, setShown] = useState<InfoValues>(() => infoValues(details));
  const [conflicts, setConflicts] = useState<FieldConflict[]>([]);
  useEffect(() => {
    if (!form.isDirty()) setShown(JSON.parse(loaded) as InfoValues);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);
  const save = useOpMutation('orgs.update', {
    form,
    fields: ['name', 'website', 'responsibleId'],
    input: ({ values, base }: { values: InfoValues; base: InfoValues }) => ({ ...values, base: { ...base } }),
    updates: 'orgs.current',
    invalidates: ['session.current', 'orgs.list'],
    onMutate: () => setConflicts([]),
    onError: (err) => setConflicts(err.conflicts),
    onSuccess: (d) => {
      setShown(infoValues(d));
      form.setInitialValues(infoValues(d));
      form.setValues(infoValues(d));
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });
  const timezone = (
    <div>
      <ReadOnlyField
        label={t('company.timezone')}
        value={
          <Group gap={6} component="span">
            <IconLock size={16} aria-hidden />
            {timeZoneLabel(details.timezone)}
          </Group>
        }
      />
      <Text c="dimmed" fz="xs" mt={2}>
        {t('company.timezoneLocked')}
      </Text>
    </div>
  );
  if (!canEdit) {
    return (
      <SectionCard title={t('company.infoTitle')}>
        <Stack gap="sm">
          <ReadOnlyField label={t('company.name')} value={details.name} />
          <ReadOnlyField
            label={t('company.website')}
            value={details.website ? <Anchor href={details.website} target="_blank" rel="noreferrer">{details.website}</Anchor> : t('common.notSet')}
          />
          {timezone}
          <ReadOnlyField label={t('company.responsible')} value={details.responsible?.name ?? t('company.noResponsible')} />
          <ResponsibleAway details={details} />
        </Stack>
      </SectionCard>
    );
  }
  // Keep mine: sent again over the values saved now. Keep the current one:
  // the fields take the saved values and the rest of the card is sent again.
  const resolve = (keepMine: boolean) => {
    const { base, values } = settle(shown, form.getValues(), conflicts, keepMine);
    setShown(base);
    if (!keepMine) form.setValues(values);
    form.clearErrors();
    save.mutate({ values, base });
  };
  const personName = (field: string, v: string) =>
    field === 'responsibleId' ? (members.data?.items.find((m) => m.id === v)?.name ?? v) : v;
  return (
    <SectionCard title={t('company.infoTitle')} onSubmit={form.onSubmit((values) => save.mutate({ values, base: shown }))} dirty={form.isDirty()} saving={save.isPending}>
      <Stack gap="md">
        <TextInput label={t('company.name')} required {...form.getInputProps('name')} />
        <TextInput label={t('company.website')} placeholder="https://www.exemple.fr" {...form.getInputProps('website')} />
        {timezone}
        <Select
          label={t('company.responsible')}
          description={t('company.responsibleHint')}
          placeholder={t('company.noResponsible')}
          data={(members.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))}
          searchable
          clearable
          {...form.getInputProps('responsibleId')}
          value={form.values.responsibleId || null}
          onChange={(v) => form.setFieldValue('responsibleId', v ?? '')}
        />
        <ResponsibleAway details={details} />
        <ConflictAlert conflicts={conflicts} label={(f) => t(f === 'responsibleId' ? 'company.responsible' : `company.${f}`)} display={personName}
          loading={save.isPending} onKeepMine={() => resolve(true)} onKeepTheirs={() => resolve(false)} />
      </Stack>
    </SectionCard>
  );
}

/** The responsible is away: until when, and who acts meanwhile (SPEC C7). */
function ResponsibleAway({ details }: { details: OrgDetails }) {
  const { t } = useTranslation();
  const away = details.responsibleAway;
  if (!away) return null;
  const date = away.returnsOn ? formatDay(away.returnsOn) : '';
  const key = away.delegate ? (date ? 'away.acting' : 'away.actingOpen') : date ? 'away.noActing' : 'away.noActingOpen';
  return (
    <Text fz="sm" c="yellow" mt={-4}>
      {t(key, { date, name: away.delegate?.name })}
    </Text>
  );
}

function ReadOnlyField({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text c="dimmed" fz="sm" fw={500}>
        {label}
      </Text>
      <Text fw={500}>{value}</Text>
    </div>
  );
}

/** A title and a sentence, with the button that acts on them at the right. */
function ActionRow({ title, text, children }: { title: React.ReactNode; text: string; children: React.ReactNode }) {
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-start">
      <div>
        {title}
        <Text c="dimmed" fz="sm" mt={2}>
          {text}
        </Text>
      </div>
      <div style={{ flexShrink: 0 }}>{children}</div>
    </Group>
  );
}

function StatusCard({ details, canEdit, canDelete }: { details: OrgDetails; canEdit: boolean; canDelete: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const closed = isClosed(details.status);
  const change = useOpMutation(() => (closed ? 'orgs.reopen' : 'orgs.close'), {
    updates: 'orgs.current',
    onSuccess: () => {
      setConfirm(false);
      // Closing or reopening changes what every screen of the organization offers.
      void client.invalidateQueries();
      notifications.show({ color: 'teal', message: closed ? t('company.reopened') : t('company.closedDone') });
    },
  });
  return (
    <Card component="section" aria-label={t('company.statusTitle')}>
      <Stack gap="lg">
        <ActionRow
          title={
            <Title order={2} fz="lg">
              {t('company.statusTitle')}
            </Title>
          }
          text={closed ? t('company.statusClosed') : t('company.statusOpen')}
        >
          {canEdit && (
            <Button
              color={closed ? 'teal' : 'red'}
              variant="light"
              leftSection={closed ? <IconLockOpen size={18} /> : <IconLock size={18} />}
              onClick={() => setConfirm(true)}
            >
              {closed ? t('company.reopen') : t('company.close')}
            </Button>
          )}
        </ActionRow>
        {canDelete && (
          <>
            <Divider />
            <ActionRow
              title={
                <Text fw={600} c="red">
                  {t('company.deletion.sectionTitle')}
                </Text>
              }
              text={t('company.deletion.sectionText')}
            >
              <Button color="red" variant="outline" leftSection={<IconTrash size={18} />} onClick={() => setDeleting(true)}>
                {t('company.deletion.open')}
              </Button>
            </ActionRow>
          </>
        )}
      </Stack>
      <ConfirmModal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={closed ? t('company.reopenConfirmTitle') : t('company.closeConfirmTitle')}
        confirmLabel={closed ? t('company.reopenConfirmButton') : t('company.closeConfirmButton')}
        color={closed ? 'teal' : 'red'}
        loading={change.isPending}
        onConfirm={() => change.mutate({})}
      >
        {closed ? t('company.reopenConfirm', { name: details.name }) : t('company.closeConfirm', { name: details.name })}
      </ConfirmModal>
      {canDelete && <DeleteOrgModal opened={deleting} onClose={() => setDeleting(false)} name={details.name} />}
    </Card>
  );
}

export function CompanyPage() {
  const { t } = useTranslation();
  const { rights } = useSession();
  const details = useOrgDetails();
  const canEdit = rights.includes('org.edit');
  const canDelete = rights.includes('org.delete');
  if (details.isLoading) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  if (!details.data) return <Text c="red">{errorMessage(t, details.error)}</Text>;
  const closed = isClosed(details.data.status);
  return (
    <>
      <PageHeader title={t('company.title')} subtitle={details.data.name} />
      <Stack gap="lg">
        <InfoCard key={details.data.id + String(closed)} details={details.data} canEdit={canEdit && !closed} />
        <CompanyProfileCard key={details.data.id} readOnly={!canEdit || closed} />
        <SecurityPolicyCard key={`policy-${details.data.id}`} canEdit={canEdit} closed={closed} />
        {(canEdit || canDelete) && <StatusCard details={details.data} canEdit={canEdit} canDelete={canDelete} />}
      </Stack>
    </>
  );
}
