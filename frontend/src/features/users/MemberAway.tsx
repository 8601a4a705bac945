import { useState } from 'react';
import { Alert, Button, Divider, Group, Modal, Select, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { MemberDetail } from '../../api/types.gen';
import { fieldErrors } from '../../i18n/errors';
import { DateField } from '../../ui/DateField';
import { formatDay } from '../../ui/dates';
import { ModalActions } from '../../ui/ModalActions';
import { fullName } from '../../ui/names';
import { MEMBER_ANSWERS, useMemberList, useMemberMutation } from './api';
import { useFocusBackOnClose } from '../../ui/focusBack';

/** What an absence changes beyond the member: their tasks' assignee, the dossier's acting responsible, Accueil. */
const AWAY_ANSWERS = [...MEMBER_ANSWERS, 'orgs.current', 'home.summary'] as const;

/** "Absence" (SPEC C7): mark a member away with an optional return date and delegate; end it in one click. */
export function AwaySection({ detail }: { detail: MemberDetail }) {
  const { t } = useTranslation();
  const m = detail.member;
  const name = fullName(m);
  const [open, setOpen] = useState(false);
  const end = useMemberMutation('members.endAway', {
    invalidates: AWAY_ANSWERS,
    onSuccess: () => notifications.show({ color: 'teal', message: t('away.ended', { name }) }),
  });
  const away = m.status === 'away' ? m.away : undefined;
  return (
    <Stack gap="sm" role="region" aria-label={t('away.section')}>
      <Divider />
      <Title order={3} fz={16}>
        {t('away.section')}
      </Title>
      {away ? (
        <Alert color="yellow" variant="light">
          <Stack gap={4}>
            <Text size="sm">{away.returnsOn ? t('away.awayUntil', { date: formatDay(away.returnsOn) }) : t('away.awayOpen')}</Text>
            <Text size="sm">{away.delegate ? t('away.delegateIs', { name: away.delegate.name }) : t('away.noDelegate')}</Text>
          </Stack>
        </Alert>
      ) : (
        <Text size="sm" c="dimmed">
          {t('away.hint')}
        </Text>
      )}
      <Group>
        {away ? (
          <>
            <Button variant="light" color="teal" loading={end.isPending} onClick={() => end.mutate({ memberId: m.id })}>
              {t('away.end')}
            </Button>
            <Button variant="default" onClick={() => setOpen(true)}>
              {t('away.edit')}
            </Button>
          </>
        ) : (
          <Button variant="light" color="yellow" onClick={() => setOpen(true)}>
            {t('away.declare')}
          </Button>
        )}
      </Group>
      {open && <AwayDialog detail={detail} onClose={() => setOpen(false)} />}
    </Stack>
  );
}

function AwayDialog({ detail, onClose }: { detail: MemberDetail; onClose: () => void }) {
  useFocusBackOnClose();
  const { t } = useTranslation();
  const m = detail.member;
  const name = fullName(m);
  const [returnsOn, setReturnsOn] = useState(m.away?.returnsOn ?? '');
  const current = m.away?.delegate ? { value: m.away.delegateMemberId, label: m.away.delegate.name } : null;
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search, 250);
  const candidates = useMemberList({ query, status: 'active', roleId: '' });
  const [delegate, setDelegate] = useState<string | null>(null);
  const save = useMemberMutation('members.setAway', {
    notify: false,
    invalidates: AWAY_ANSWERS,
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('away.saved', { name }) });
      onClose();
    },
  });
  const items = candidates.data?.pages.flatMap((pg) => pg.items) ?? [];
  // null: unchanged (the current delegate); '': none.
  const chosen = delegate ?? current?.value ?? '';
  const options = items.filter((c) => c.id !== m.id).map((c) => ({ value: c.id, label: `${fullName(c)} · ${c.email}` }));
  if (current && !options.some((o) => o.value === current.value)) options.unshift(current);
  const errors = fieldErrors(t, save.error, ['returnsOn', 'delegateId']) ?? {};
  const other = save.error && !errors.returnsOn && !errors.delegateId ? save.errorText : null;
  return (
    <Modal opened onClose={onClose} title={t('away.title', { name })} size="lg">
      <Stack>
        <DateField
          label={t('away.returnsOn')}
          description={t('away.returnsOnHint')}
          value={returnsOn}
          onChange={setReturnsOn}
          error={errors.returnsOn ?? null}
          data-path="returnsOn"
          data-autofocus
        />
        <Select
          label={t('away.delegate')}
          description={t('away.delegateHint')}
          placeholder={t('away.delegatePlaceholder')}
          searchable
          clearable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          nothingFoundMessage={t('away.nobody')}
          data={options}
          value={chosen || null}
          onChange={(v) => setDelegate(v ?? '')}
          error={errors.delegateId ?? null}
          data-path="delegateId"
        />
        {other && <Alert color="red">{other}</Alert>}
        <ModalActions
          onCancel={onClose}
          confirmLabel={t('away.save')}
          loading={save.isPending}
          onConfirm={() => save.mutate({ memberId: m.id, returnsOn, delegateId: chosen })}
        />
      </Stack>
    </Modal>
  );
}
