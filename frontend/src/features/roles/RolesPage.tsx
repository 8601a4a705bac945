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
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { MemberItem, RoleInput, RoleView } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { PageHeader } from '../../ui/PageHeader';
import { fullName } from '../../ui/names';
import { rightLabels, useCatalog, useGrantRules, useHasRight, useMemberList, useMemberMutation, useRoles, useText } from '../users/api';
import { useSession } from '../../api/queries';
import { errorOf } from '../users/MemberDrawer';

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const has = useHasRight();
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
                      {r.isAdmin ? t('roles.adminName') : r.name}
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
  const { t } = useTranslation();
  const text = useText();
  const catalog = useCatalog();
  const { whyNotRight } = useGrantRules();
  const [name, setName] = useState(role?.name ?? '');
  const [rights, setRights] = useState<string[]>(role?.rights ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMemberMutation((input: RoleInput) => call(input.roleId ? 'roles.update' : 'roles.create', input));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setErrors({});
    save.mutate(
      { roleId: role?.id ?? '', name, rights },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('roles.saved') });
          onClose();
        },
        onError: (err) => setErrors(fieldErrors(t, err, ['name', 'rights', 'roleId']) ?? { form: errorMessage(t, err) }),
      },
    );
  };
  const toggle = (r: string, on: boolean) => setRights((s) => (on ? [...s, r] : s.filter((x) => x !== r)));
  return (
    <Modal opened onClose={onClose} title={role ? t('roles.editTitle') : t('roles.createTitle')} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label={t('roles.name')} required value={name} error={errors.name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
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
          {(errors.rights || errors.roleId || errors.form) && (
            <Alert color="red">{errors.rights ?? errors.roleId ?? errors.form}</Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('roles.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('roles.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteRole({ role, onClose }: { role: RoleView; onClose: () => void }) {
  const { t } = useTranslation();
  const del = useMemberMutation(() => call('roles.delete', { roleId: role.id }));
  return (
    <Modal opened onClose={onClose} title={t('roles.deleteTitle', { name: role.name })}>
      <Stack>
        <Text>{t('roles.deleteText', { count: role.memberCount, name: role.name })}</Text>
        {del.isError && <Alert color="red">{errorOf(t, del.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('roles.cancel')}
          </Button>
          <Button
            color="red"
            loading={del.isPending}
            onClick={() =>
              del.mutate(undefined, {
                onSuccess: () => {
                  notifications.show({ color: 'teal', message: t('roles.deleted') });
                  onClose();
                },
              })
            }
          >
            {t('roles.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function RoleMembers({ role, canEdit, onClose }: { role: RoleView; canEdit: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 250);
  const list = useMemberList({ query: debounced, status: '', roleId: role.id });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const [removing, setRemoving] = useState<MemberItem | null>(null);
  const { canGiveRole } = useGrantRules();
  const me = useSession().account.id;
  const remove = useMemberMutation((m: MemberItem) => call('members.removeRole', { memberId: m.id, roleId: role.id }));
  return (
    <Modal opened onClose={onClose} title={t('roles.membersTitle', { name: role.isAdmin ? t('roles.adminName') : role.name })} size="lg">
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
      <Modal opened={!!removing} onClose={() => setRemoving(null)} title={t('roles.removeTitle')}>
        {removing && (
          <Stack>
            <Text>{t('roles.removeText', { member: fullName(removing), role: role.isAdmin ? t('roles.adminName') : role.name })}</Text>
            {remove.isError && <Alert color="red">{errorOf(t, remove.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setRemoving(null)}>
                {t('roles.cancel')}
              </Button>
              <Button
                color="red"
                loading={remove.isPending}
                onClick={() =>
                  remove.mutate(removing, {
                    onSuccess: () => {
                      setRemoving(null);
                      notifications.show({ color: 'teal', message: t('roles.removed') });
                    },
                  })
                }
              >
                {t('roles.removeConfirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Modal>
  );
}
