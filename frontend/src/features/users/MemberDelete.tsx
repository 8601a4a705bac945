import { useState } from 'react';
import { Alert, Button, Checkbox, Divider, Group, Loader, Modal, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOp } from '../../api/ops';
import type { MemberDetail } from '../../api/types.gen';
import { fieldErrors } from '../../i18n/errors';
import { ModalActions } from '../../ui/ModalActions';
import { fullName } from '../../ui/names';
import { MEMBER_ANSWERS, useMemberList, useMemberMutation } from './api';
import { useFocusBackOnClose } from '../../ui/focusBack';

/** "Supprimer": a colleague who leaves hands their work to a successor (SPEC C8). */
export function DeleteSection({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Stack gap="sm">
      <Divider />
      <Title order={3} fz={16}>
        {t('members.delete.section')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('members.delete.sectionHint')}
      </Text>
      <Group>
        <Button color="red" variant="outline" onClick={() => setOpen(true)}>
          {t('members.delete.button')}
        </Button>
      </Group>
      {open && <DeleteDialog detail={detail} onClose={() => setOpen(false)} />}
    </Stack>
  );
}

function DeleteDialog({ detail, onClose }: { detail: MemberDetail; onClose: () => void }) {
  useFocusBackOnClose();
  const { t } = useTranslation();
  const m = detail.member;
  const name = fullName(m);
  const plan = useOp('members.succession', { memberId: m.id });
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search, 250);
  const candidates = useMemberList({ query, status: 'active', roleId: '' });
  const [successor, setSuccessor] = useState<string | null>(null);
  const [sure, setSure] = useState(false);
  const remove = useMemberMutation('members.delete', {
    notify: false,
    invalidates: [...MEMBER_ANSWERS, 'tasks.list', 'invitations.list', 'orgs.current', 'orgs.list'],
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('members.delete.done', { name }) });
      onClose();
    },
  });
  const p = plan.data;
  const handsOver = !!p && (p.openTasks > 0 || p.invitations > 0 || p.responsible);
  const parts = p
    ? [
        p.openTasks > 0 && t('members.delete.tasks', { count: p.openTasks }),
        p.invitations > 0 && t('members.delete.invitations', { count: p.invitations }),
        p.responsible && t('members.delete.responsible'),
      ].filter(Boolean)
    : [];
  const options = (candidates.data?.pages.flatMap((pg) => pg.items) ?? [])
    .filter((c) => c.id !== m.id)
    .map((c) => ({ value: c.id, label: `${fullName(c)} · ${c.email}` }));
  const under = fieldErrors(t, remove.error, ['successorId'])?.successorId ?? null;
  const other = remove.error && !under ? remove.errorText : null;
  return (
    <Modal opened onClose={onClose} title={t('members.delete.title', { name })} size="lg">
      <Stack>
        {plan.isPending ? (
          <Loader size="sm" />
        ) : (
          <Text>{handsOver ? t('members.delete.handsOver', { name, what: parts.join(', ') }) : t('members.delete.nothing', { name })}</Text>
        )}
        <Select
          label={t('members.delete.successor')}
          description={t('members.delete.successorHint')}
          placeholder={t('members.delete.successorPlaceholder')}
          searchable
          clearable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          nothingFoundMessage={t('members.delete.nobody')}
          data={options}
          value={successor}
          onChange={setSuccessor}
          required={handsOver}
          error={under}
          data-path="successorId"
        />
        <Text size="sm">{t('members.delete.keeps', { name })}</Text>
        <Checkbox checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} label={t('members.delete.confirm', { name })} />
        {other && <Alert color="red">{other}</Alert>}
        <ModalActions
          onCancel={onClose}
          confirmLabel={t('members.delete.button')}
          color="red"
          disabled={!sure || (handsOver && !successor)}
          loading={remove.isPending}
          onConfirm={() => remove.mutate({ memberId: m.id, successorId: successor ?? '' })}
        />
      </Stack>
    </Modal>
  );
}
