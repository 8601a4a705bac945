import { useEffect, useState } from 'react';
import { Alert, Button, Divider, Drawer, Group, List, Loader, MultiSelect, SimpleGrid, Stack, Switch, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { EffectiveRight, FieldConflict, MemberDetail } from '../../api/types.gen';
import { rightLabels, useCatalog, useGrantRules, useCanWrite } from '../../api/rights';
import { errorMessage } from '../../i18n/errors';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { ConflictAlert } from '../../ui/ConflictAlert';
import { fullName, roleName } from '../../ui/names';
import { useText } from '../../ui/text';
import { useMember, useMemberMutation, useRoles } from './api';
import { DeleteSection } from './MemberDelete';
import { AwaySection } from './MemberAway';
import { StatusBadge } from './StatusBadge';
import { SendResetSection } from '../recovery/SendResetSection';
import { MemberApplications } from '../applications/ApplicationsPage';

export function MemberDrawer({ memberId, onClose }: { memberId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const member = useMember(memberId);
  return (
    <Drawer opened={!!memberId} onClose={onClose} position="right" size="lg" title={t('members.detail.title')}>
      {member.isPending && memberId ? (
        <Loader size="sm" />
      ) : member.isError ? (
        <Alert color="red">{errorMessage(t, member.error)}</Alert>
      ) : member.data ? (
        <MemberDetailView detail={member.data} />
      ) : null}
    </Drawer>
  );
}

export function MemberDetailView({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const has = useCanWrite();
  const m = detail.member;
  const deleted = m.status === 'deleted';
  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0}>
          <Title order={2} fz={22} style={deleted ? { textDecoration: 'line-through' } : undefined}>
            {fullName(m)}
          </Title>
          <Text c="dimmed">{m.email}</Text>
        </Stack>
        <StatusBadge status={m.status} />
      </Group>
      {deleted && <Alert color="gray">{t('members.detail.deletedNotice')}</Alert>}
      {!deleted && has('members.edit') ? <IdentityForm detail={detail} /> : <IdentityView detail={detail} />}
      {(m.status === 'active' || m.status === 'away') && has('members.edit') && <AwaySection detail={detail} />}
      {!deleted && has('rights.edit') && <RolesForm detail={detail} />}
      <EffectiveRights detail={detail} />
      {!deleted && has('rights.edit') && <DirectRights detail={detail} />}
      {!deleted && has('applications.manage') && <MemberApplications memberId={m.id} granted={detail.applications} />}
      {!deleted && has('members.disable') && !detail.isMe && <AccessSection detail={detail} />}
      {!deleted && has('members.delete') && !detail.isMe && <DeleteSection detail={detail} />}
      {detail.active && has('members.edit') && !detail.isMe && <SendResetSection detail={detail} />}
    </Stack>
  );
}

function IdentityView({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const m = detail.member;
  return (
    <SimpleGrid cols={2}>
      <Text size="sm">
        <b>{t('members.detail.employeeRef')}</b> : {m.employeeRef || t('common.notSet')}
      </Text>
      <Text size="sm">
        <b>{t('members.detail.jobTitle')}</b> : {m.jobTitle || t('common.notSet')}
      </Text>
    </SimpleGrid>
  );
}

type Identity = { firstName: string; lastName: string; employeeRef: string; jobTitle: string };
const identityOf = (m: MemberDetail['member']): Identity => ({ firstName: m.firstName, lastName: m.lastName, employeeRef: m.employeeRef, jobTitle: m.jobTitle });

/**
 * The member's identity. Only the fields the person changed are sent, each
 * with the value the form showed (its base): a field someone else changed in
 * the meantime to another value comes back as a conflict, shown with both
 * values, to keep one.
 */
function IdentityForm({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const m = detail.member;
  const form = useForm({ initialValues: identityOf(m) });
  // What the form showed: the base of the fields sent.
  const [shown, setShown] = useState<Identity>(() => identityOf(m));
  const [conflicts, setConflicts] = useState<FieldConflict[]>([]);
  useEffect(() => {
    form.setValues(identityOf(m));
    setShown(identityOf(m));
    setConflicts([]);
  }, [m.id]); // eslint-disable-line react-hooks/exhaustive-deps
  // A colleague's change arriving while nothing is typed shows at once, and
  // becomes the base; typed values stay, with the base they were typed over.
  const saved = JSON.stringify(identityOf(m));
  useEffect(() => {
    const v = form.getValues();
    if ((Object.keys(shown) as (keyof Identity)[]).every((f) => v[f] === shown[f])) {
      form.setValues(JSON.parse(saved) as Identity);
      setShown(JSON.parse(saved) as Identity);
    }
  }, [saved]); // eslint-disable-line react-hooks/exhaustive-deps
  // The name belongs to the person's account once they are a member of other
  // organizations too: shown, but neither editable nor sent.
  const nameLocked = !detail.nameEditable;
  const editable = (nameLocked ? ['employeeRef', 'jobTitle'] : ['firstName', 'lastName', 'employeeRef', 'jobTitle']) as (keyof Identity)[];
  type Vars = { values: Identity; base: Identity };
  const save = useMemberMutation('members.update', {
    form,
    input: ({ values, base }: Vars) => {
      const changed = editable.filter((f) => values[f] !== base[f]);
      return {
        memberId: m.id,
        ...Object.fromEntries(changed.map((f) => [f, values[f]])),
        base: Object.fromEntries(changed.map((f) => [f, base[f]])),
      };
    },
    onMutate: () => setConflicts([]),
    onError: (err) => setConflicts(err.conflicts),
    onSuccess: (out) => {
      // The form shows what is saved now, a colleague's other fields too: it is the next base.
      form.setValues(identityOf(out.member));
      setShown(identityOf(out.member));
      notifications.show({ color: 'teal', message: t('members.detail.saved') });
    },
  });
  const label = (f: string) => t(`members.detail.${f}`);
  // Keep mine: the same values, over the ones saved now.
  const keepMine = () => {
    const base = { ...shown };
    for (const c of conflicts) base[c.field as keyof Identity] = c.theirs;
    setShown(base);
    save.mutate({ values: form.getValues(), base });
  };
  // Keep the current one: the form takes the saved values; the other
  // changes, if any, are sent again on their own.
  const keepTheirs = () => {
    const base = { ...shown };
    const values = { ...form.getValues() };
    for (const c of conflicts) {
      base[c.field as keyof Identity] = c.theirs;
      values[c.field as keyof Identity] = c.theirs;
    }
    setShown(base);
    form.setValues(values);
    form.clearErrors();
    setConflicts([]);
    if (editable.some((f) => values[f] !== base[f])) save.mutate({ values, base });
  };
  const field = (name: keyof Identity) => form.getInputProps(name);
  return (
    <form onSubmit={form.onSubmit((values) => save.mutate({ values, base: shown }))} aria-label={t('members.detail.identity')} noValidate>
      <Stack gap="sm">
        <Title order={3} fz={16}>
          {t('members.detail.identity')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('members.detail.firstName')} required={!nameLocked} readOnly={nameLocked} {...field('firstName')} />
          <TextInput label={t('members.detail.lastName')} required={!nameLocked} readOnly={nameLocked} {...field('lastName')} />
          <TextInput label={t('members.detail.employeeRef')} description={t('members.detail.employeeRefHint')} {...field('employeeRef')} />
          <TextInput label={t('members.detail.jobTitle')} {...field('jobTitle')} />
        </SimpleGrid>
        {nameLocked && (
          <Text size="sm" c="dimmed">
            {t('members.detail.nameOwned')}
          </Text>
        )}
        <ConflictAlert conflicts={conflicts} label={label} loading={save.isPending} onKeepMine={keepMine} onKeepTheirs={keepTheirs} />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            {t('members.detail.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function RolesForm({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const roles = useRoles();
  const { canGiveRole } = useGrantRules();
  const m = detail.member;
  const all = roles.data?.roles ?? [];
  const givable = (id: string) => {
    const r = all.find((x) => x.id === id);
    return !!r && canGiveRole(r);
  };
  const someBeyond = all.some((r) => !canGiveRole(r));
  const [value, setValue] = useState(m.roles.map((r) => r.id));
  useEffect(() => setValue(m.roles.map((r) => r.id)), [m.roles]);
  const save = useMemberMutation('members.setRoles', {
    input: (roleIds: string[]) => ({ memberId: m.id, roleIds }),
    notify: false,
    onSuccess: () => notifications.show({ color: 'teal', message: t('members.detail.rolesSaved') }),
  });
  return (
    <Stack gap="sm">
      <Divider />
      <MultiSelect
        label={t('members.detail.roles')}
        placeholder={t('members.detail.rolesPlaceholder')}
        data={all.map((r) => ({ value: r.id, label: roleName(t, r), disabled: !canGiveRole(r) }))}
        value={value}
        disabled={detail.isMe}
        description={detail.isMe ? t('members.detail.ownRights') : someBeyond ? t('members.detail.rolesBeyond') : undefined}
        onChange={(v) => {
          // A role the member may not give stays out, one they may not take stays in.
          const kept = value.filter((id) => !givable(id) && !v.includes(id));
          setValue([...v.filter((id) => givable(id) || value.includes(id)), ...kept]);
          save.reset();
        }}
        error={save.errorText}
      />
      {!detail.isMe && (
        <Group justify="flex-end">
          <Button variant="light" loading={save.isPending} onClick={() => save.mutate(value)}>
            {t('members.detail.saveRoles')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function DirectRights({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const text = useText();
  const catalog = useCatalog();
  const { whyNotRight } = useGrantRules();
  const m = detail.member;
  const set = useMemberMutation('members.setRight', { input: (v: { right: string; granted: boolean }) => ({ memberId: m.id, ...v }) });
  const why = (right: string) => (detail.isMe ? 'members.detail.ownRightsTip' : whyNotRight(right));
  return (
    <Stack gap="sm">
      <Divider />
      <Title order={3} fz={16}>
        {t('members.detail.directRights')}
      </Title>
      <Text size="sm" c="dimmed">
        {detail.isMe ? t('members.detail.ownRights') : t('members.detail.directRightsHint')}
      </Text>
      {(catalog.data?.groups ?? []).map((g) => (
        <Stack key={g.key} gap={6}>
          <Text fw={600} size="sm">
            {text(g.name)}
          </Text>
          {g.rights.map((r) => {
            const reason = why(r.name);
            return (
              <Tooltip key={r.name} label={reason ? t(reason) : ''} disabled={!reason} position="top-start">
                <div>
                  <Switch
                    label={text(r.label)}
                    description={text(r.description)}
                    checked={detail.directRights.includes(r.name)}
                    disabled={set.isPending || !!reason}
                    onChange={(e) => set.mutate({ right: r.name, granted: e.currentTarget.checked })}
                  />
                </div>
              </Tooltip>
            );
          })}
        </Stack>
      ))}
    </Stack>
  );
}

export function reasonsOf(t: (k: string, o?: Record<string, string>) => string, e: EffectiveRight): string[] {
  const out: string[] = [];
  if (e.byAdmin) out.push(t('members.detail.byAdmin'));
  for (const r of e.roles) if (!r.isAdmin) out.push(t('members.detail.byRole', { name: r.name }));
  if (e.direct) out.push(t('members.detail.direct'));
  return out;
}

function EffectiveRights({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const text = useText();
  const catalog = useCatalog();
  const labels = rightLabels(catalog.data, text);
  const granted = detail.effective.filter((e) => e.granted);
  return (
    <Stack gap="sm" aria-label={t('members.detail.effective')} role="region">
      <Divider />
      <Title order={3} fz={16}>
        {t('members.detail.effective')}
      </Title>
      {!detail.active && <Alert color="orange">{t('members.detail.inactive')}</Alert>}
      {detail.active && granted.length === 0 && <Text c="dimmed">{t('members.detail.effectiveNone')}</Text>}
      <List spacing={4} size="sm">
        {granted.map((e) => (
          <List.Item key={e.right}>
            <b>{labels[e.right] ?? e.right}</b> — {reasonsOf(t, e).join(', ')}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}

function AccessSection({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const m = detail.member;
  const [confirm, setConfirm] = useState(false);
  const disabling = m.status !== 'disabled';
  const change = useMemberMutation(() => (disabling ? 'members.disable' : 'members.enable'), {
    notify: false,
    onSuccess: () => {
      setConfirm(false);
      notifications.show({ color: 'teal', message: disabling ? t('members.detail.disabled') : t('members.detail.enabled') });
    },
  });
  const name = fullName(m);
  if (m.status !== 'active' && m.status !== 'away' && m.status !== 'disabled') return null;
  return (
    <Stack gap="sm">
      <Divider />
      <Title order={3} fz={16}>
        {t('members.detail.access')}
      </Title>
      <Group>
        <Button color={disabling ? 'red' : 'teal'} variant="light" onClick={() => setConfirm(true)}>
          {disabling ? t('members.detail.disable') : t('members.detail.enable')}
        </Button>
      </Group>
      <ConfirmModal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={disabling ? t('members.detail.disableTitle', { name }) : t('members.detail.enableTitle', { name })}
        error={change.errorText}
        confirmLabel={disabling ? t('members.detail.disable') : t('members.detail.enable')}
        color={disabling ? 'red' : 'teal'}
        loading={change.isPending}
        onConfirm={() => change.mutate({ memberId: m.id })}
      >
        {disabling ? t('members.detail.disableText', { name }) : t('members.detail.enableText', { name })}
      </ConfirmModal>
    </Stack>
  );
}
