import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  Modal,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FieldConflict, MemberItem, RoleView } from '../../api/types.gen';
import { ConflictAlert } from '../../ui/ConflictAlert';
import { useSession } from '../../api/queries';
import { rightLabels, useCatalog, useGrantRules, useCanWrite } from '../../api/rights';
import { errorMessage } from '../../i18n/errors';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { ModalActions } from '../../ui/ModalActions';
import { PageHeader } from '../../ui/PageHeader';
import { fullName, roleName } from '../../ui/names';
import { useText } from '../../ui/text';
import { useMemberList, useMemberMutation, useRoles } from '../users/api';
import { useFocusBackOnClose } from '../../ui/focusBack';

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const has = useCanWrite();
  const text = useText();
  const catalog = useCatalog();
  const labels = rightLabels(catalog.data, text);
  const [editing, setEditing] = useState<RoleView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoleView | null>(null);
  const [membersOf, setMembersOf] = useState<RoleView | null>(null);
  const canEdit = has('rights.edit');
  const { canEditRole } = useGrantRules();
  return (
    <>
      <PageHeader title={t('roles.title')} subtitle={t('roles.subtitle')} />
      {canEdit && (
        <Group mb="md">
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            {t('roles.create')}
          </Button>
        </Group>
      )}
      {roles.isPending ? (
        <Loader size="sm" />
      ) : roles.isError ? (
        <Alert color="red">{errorMessage(t, roles.error)}</Alert>
      ) : (
        <Stack>
          {roles.data.roles.map((r) => (
            <Card key={r.id} aria-label={r.name} component="section">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={4}>
                  <Group gap="xs">
                    <Title order={2} fz={18}>
                      {roleName(t, r)}
                    </Title>
                    {r.isAdmin && (
                      <Badge variant="light" radius="sm" tt="none">
                        {t('roles.default')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="sm" c="dimmed">
                    {t('roles.memberCount', { count: r.memberCount })}
                  </Text>
                </Stack>
                <Group gap="xs">
                  <Button variant="default" size="xs" onClick={() => setMembersOf(r)}>
                    {t('roles.members')}
                  </Button>
                  {canEdit && !r.isAdmin && (
                    // A role the member holds, or that gives more than they
                    // could, is shown but not offered for change.
                    <Tooltip label={t(r.held ? 'roles.heldTip' : 'roles.beyondTip')} disabled={canEditRole(r)}>
                      <Group gap="xs">
                        <Button variant="default" size="xs" disabled={!canEditRole(r)} onClick={() => setEditing(r)}>
                          {t('roles.edit')}
                        </Button>
                        <Button variant="light" color="red" size="xs" disabled={!canEditRole(r)} onClick={() => setDeleting(r)}>
                          {t('roles.delete')}
                        </Button>
                      </Group>
                    </Tooltip>
                  )}
                </Group>
              </Group>
              <Group gap={6} mt="sm">
                {r.isAdmin ? (
                  <Text size="sm">{t('roles.allRights')}</Text>
                ) : r.rights.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('roles.noRights')}
                  </Text>
                ) : (
                  r.rights.map((x) => (
                    <Badge key={x} variant="outline" color="gray" radius="sm" tt="none">
                      {labels[x] ?? x}
                    </Badge>
                  ))
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {editing && <RoleForm role={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteRole role={deleting} onClose={() => setDeleting(null)} />}
      {membersOf && <RoleMembers role={membersOf} canEdit={canEdit} onClose={() => setMembersOf(null)} />}
    </>
  );
}

export function RoleForm({ role, onClose }: { role: RoleView | null; onClose: () => void }) {
  useFocusBackOnClose();
  const { t } = useTranslation();
  const text = useText();
  const catalog = useCatalog();
  const { whyNotRight } = useGrantRules();
  const form = useForm({ initialValues: { roleId: role?.id ?? '', name: role?.name ?? '', rights: role?.rights ?? [] } });
  const rights = form.values.rights;
  // An edit carries the role as the form showed it (its base): each right
  // ticked or unticked lands on the rights saved now; a name someone else
  // changed meanwhile comes back as a conflict, with both values.
  const [shownName, setShownName] = useState(role?.name ?? '');
  const [conflicts, setConflicts] = useState<FieldConflict[]>([]);
  type Vars = typeof form.values & { baseName?: string };
  const save = useMemberMutation((v: Vars) => (v.roleId ? 'roles.update' : 'roles.create'), {
    form,
    fields: ['name'],
    notify: false,
    input: ({ baseName, ...v }: Vars) => (v.roleId ? { ...v, base: { name: baseName ?? shownName, rights: role?.rights ?? [] } } : v),
    onMutate: () => setConflicts([]),
    onError: (err) => setConflicts(err.conflicts),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('roles.saved') });
      onClose();
    },
  });
  const toggle = (r: string, on: boolean) => form.setFieldValue('rights', on ? [...rights, r] : rights.filter((x) => x !== r));
  return (
    <Modal opened onClose={onClose} title={role ? t('roles.editTitle') : t('roles.createTitle')} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <TextInput label={t('roles.name')} required data-autofocus {...form.getInputProps('name')} />
          <Text fw={600}>{t('roles.rights')}</Text>
          {(catalog.data?.groups ?? []).map((g) => (
            <Checkbox.Group key={g.key} label={text(g.name)} value={rights.filter((r) => g.rights.some((x) => x.name === r))}>
              <Stack gap={6} mt={6}>
                {g.rights.map((r) => {
                  const reason = whyNotRight(r.name);
                  return (
                    <Tooltip key={r.name} label={reason ? t(reason) : ''} disabled={!reason} position="top-start">
                      <div>
                        <Checkbox
                          value={r.name}
                          label={text(r.label)}
                          description={text(r.description)}
                          checked={rights.includes(r.name)}
                          disabled={!!reason}
                          onChange={(e) => toggle(r.name, e.currentTarget.checked)}
                        />
                      </div>
                    </Tooltip>
                  );
                })}
              </Stack>
            </Checkbox.Group>
          ))}
          {save.errorText && !conflicts.length && <Alert color="red">{save.errorText}</Alert>}
          <ConflictAlert conflicts={conflicts} label={() => t('roles.name')} loading={save.isPending}
            onKeepMine={() => {
              const theirs = conflicts[0].theirs;
              setShownName(theirs);
              save.mutate({ ...form.getValues(), baseName: theirs });
            }}
            onKeepTheirs={() => {
              const theirs = conflicts[0].theirs;
              setShownName(theirs);
              form.setFieldValue('name', theirs);
              save.mutate({ ...form.getValues(), name: theirs, baseName: theirs });
            }} />
          <ModalActions onCancel={onClose} confirmLabel={t('roles.save')} loading={save.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteRole({ role, onClose }: { role: RoleView; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useMemberMutation('roles.delete', {
    notify: false,
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('roles.deleted') });
      onClose();
    },
  });
  return (
    <ConfirmModal
      opened
      onClose={onClose}
      title={t('roles.deleteTitle', { name: role.name })}
      error={del.errorText}
      confirmLabel={t('roles.delete')}
      color="red"
      loading={del.isPending}
      onConfirm={() => del.mutate({ roleId: role.id })}
    >
      {t('roles.deleteText', { count: role.memberCount, name: role.name })}
    </ConfirmModal>
  );
}

function RoleMembers({ role, canEdit, onClose }: { role: RoleView; canEdit: boolean; onClose: () => void }) {
  useFocusBackOnClose();
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const list = useMemberList({ query: debounced, status: '', roleId: role.id });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [removing, setRemoving] = useState<MemberItem | null>(null);
  const { canGiveRole } = useGrantRules();
  const me = useSession().account.id;
  const remove = useMemberMutation('members.removeRole', {
    input: (m: MemberItem) => ({ memberId: m.id, roleId: role.id }),
    notify: false,
    onSuccess: () => {
      setRemoving(null);
      notifications.show({ color: 'teal', message: t('roles.removed') });
    },
  });
  const label = roleName(t, role);
  return (
    <Modal opened onClose={onClose} title={t('roles.membersTitle', { name: label })} size="lg">
      <Stack>
        <TextInput label={t('roles.filter')} placeholder={t('roles.filterPlaceholder')} value={query} onChange={(e) => setQuery(e.currentTarget.value)} />
        {list.isPending ? (
          <Loader size="sm" />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t('roles.noMembers')}</Text>
        ) : (
          <Stack gap={4} role="list">
            {items.map((m) => (
              <Group key={m.id} justify="space-between" role="listitem" py={4}>
                <Stack gap={0}>
                  <Text fw={500} style={m.status === 'deleted' ? { textDecoration: 'line-through' } : undefined}>
                    {fullName(m)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.email}
                  </Text>
                </Stack>
                {canEdit && canGiveRole(role) && m.status !== 'deleted' && m.accountId !== me && (
                  <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(m)}>
                    {t('roles.removeFromRole')}
                  </Button>
                )}
              </Group>
            ))}
            {list.hasNextPage && (
              <Button variant="subtle" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
                {t('roles.more')}
              </Button>
            )}
          </Stack>
        )}
      </Stack>
      <ConfirmModal
        opened={!!removing}
        onClose={() => setRemoving(null)}
        title={t('roles.removeTitle')}
        error={remove.errorText}
        confirmLabel={t('roles.removeConfirm')}
        color="red"
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        {removing ? t('roles.removeText', { member: fullName(removing), role: label }) : ''}
      </ConfirmModal>
    </Modal>
  );
}
