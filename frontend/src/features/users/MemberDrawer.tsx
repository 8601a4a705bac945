import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Divider,
  Drawer,
  Group,
  List,
  Loader,
  Modal,
  MultiSelect,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { EffectiveRight, MemberDetail, UpdateMemberInput } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { fullName } from '../../ui/names';
import { rightLabels, useCatalog, useGrantRules, useHasRight, useMember, useMemberMutation, useRoles, useText } from './api';
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
  const has = useHasRight();
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
      {!deleted && has('rights.edit') && <RolesForm detail={detail} />}
      <EffectiveRights detail={detail} />
      {!deleted && has('rights.edit') && <DirectRights detail={detail} />}
      {!deleted && has('applications.manage') && <MemberApplications memberId={m.id} granted={detail.applications} />}
      {!deleted && has('members.disable') && !detail.isMe && <AccessSection detail={detail} />}
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

const IDENTITY_FIELDS = ['firstName', 'lastName', 'employeeRef', 'jobTitle'] as const;

function IdentityForm({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const m = detail.member;
  const initial = { firstName: m.firstName, lastName: m.lastName, employeeRef: m.employeeRef, jobTitle: m.jobTitle };
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setValues(initial), [m.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = useMemberMutation((input: UpdateMemberInput) => call('members.update', input));
  // The name belongs to the person's account once they are a member of other
  // organizations too: shown, but neither editable nor sent.
  const nameLocked = !detail.nameEditable;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate(
      nameLocked ? { memberId: m.id, employeeRef: values.employeeRef, jobTitle: values.jobTitle } : { memberId: m.id, ...values },
      {
        onSuccess: () => notifications.show({ color: 'teal', message: t('members.detail.saved') }),
        onError: (err) => {
          const fe = fieldErrors(t, err, [...IDENTITY_FIELDS, 'memberId']);
          if (fe) setErrors(fe);
          else notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) });
        },
      },
    );
  };
  const field = (name: (typeof IDENTITY_FIELDS)[number]) => ({
    value: values[name],
    error: errors[name],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const v = e.currentTarget.value;
      setValues((s) => ({ ...s, [name]: v }));
    },
  });
  return (
    <form onSubmit={submit} aria-label={t('members.detail.identity')} noValidate>
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
        {errors.memberId && <Text c="red" size="sm">{errors.memberId}</Text>}
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
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(m.roles.map((r) => r.id)), [m.roles]);
  const save = useMemberMutation((roleIds: string[]) => call('members.setRoles', { memberId: m.id, roleIds }));
  return (
    <Stack gap="sm">
      <Divider />
      <MultiSelect
        label={t('members.detail.roles')}
        placeholder={t('members.detail.rolesPlaceholder')}
        data={all.map((r) => ({ value: r.id, label: r.name, disabled: !canGiveRole(r) }))}
        value={value}
        disabled={detail.isMe}
        description={detail.isMe ? t('members.detail.ownRights') : someBeyond ? t('members.detail.rolesBeyond') : undefined}
        onChange={(v) => {
          // A role the member may not give stays out, one they may not take stays in.
          const kept = value.filter((id) => !givable(id) && !v.includes(id));
          setValue([...v.filter((id) => givable(id) || value.includes(id)), ...kept]);
          setError(null);
        }}
        error={error}
      />
      {!detail.isMe && (
        <Group justify="flex-end">
          <Button
            variant="light"
            loading={save.isPending}
            onClick={() =>
              save.mutate(value, {
                onSuccess: () => notifications.show({ color: 'teal', message: t('members.detail.rolesSaved') }),
                onError: (err) => {
                  const fe = fieldErrors(t, err, ['memberId', 'roleIds']);
                  setError(fe ? Object.values(fe)[0] : errorMessage(t, err));
                },
              })
            }
          >
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
  const set = useMemberMutation((input: { right: string; granted: boolean }) => call('members.setRight', { memberId: m.id, ...input }));
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
                    onChange={(e) =>
                      set.mutate(
                        { right: r.name, granted: e.currentTarget.checked },
                        { onError: (err) => notifications.show({ color: 'red', title: t('errors.title'), message: errorOf(t, err) }) },
                      )
                    }
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
  const change = useMemberMutation(() => call(disabling ? 'members.disable' : 'members.enable', { memberId: m.id }));
  const name = fullName(m);
  if (m.status !== 'active' && m.status !== 'disabled') return null;
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
      <Modal
        opened={confirm}
        onClose={() => setConfirm(false)}
        title={disabling ? t('members.detail.disableTitle', { name }) : t('members.detail.enableTitle', { name })}
      >
        <Stack>
          <Text>{disabling ? t('members.detail.disableText', { name }) : t('members.detail.enableText', { name })}</Text>
          {change.isError && <Alert color="red">{errorOf(t, change.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)}>
              {t('members.detail.cancel')}
            </Button>
            <Button
              color={disabling ? 'red' : 'teal'}
              loading={change.isPending}
              onClick={() =>
                change.mutate(undefined, {
                  onSuccess: () => {
                    setConfirm(false);
                    notifications.show({ color: 'teal', message: disabling ? t('members.detail.disabled') : t('members.detail.enabled') });
                  },
                })
              }
            >
              {disabling ? t('members.detail.disable') : t('members.detail.enable')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** A field error of the action if there is one, else the error's sentence. */
function errorOf(t: Parameters<typeof errorMessage>[0], err: unknown): string {
  const fe = fieldErrors(t, err, ['memberId', 'roleId', 'roleIds', 'application', 'right']);
  return fe ? Object.values(fe)[0] : errorMessage(t, err);
}
export { errorOf };
