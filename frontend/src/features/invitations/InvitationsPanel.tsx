import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconMailForward, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useDossierDates } from '../../ui/dates';
import { useOp, useOpMutation } from '../../api/ops';
import { useCanWrite } from '../../api/rights';
import type { InvitationItem } from '../../api/types.gen';
import { ConfirmModal } from '../../ui/ConfirmModal';
import { FormError } from '../../ui/FormError';
import { ModalActions } from '../../ui/ModalActions';
import { roleName } from '../../ui/names';
import { useRoles } from '../users/api';
import { useFocusBackOnClose } from '../../ui/focusBack';

/**
 * What the console says once an invitation is sent: without a mail server its
 * message waits in the outbox, and saying "envoyée" would be untrue.
 */
function sentNotice(t: TFunction, inv: InvitationItem, key: 'sent' | 'resent') {
  return inv.mailWaits
    ? { color: 'yellow', autoClose: 10000, message: t(`invitations.${key}Waiting`, { email: inv.email }) }
    : { color: 'teal', message: t(`invitations.${key}`, { email: inv.email }) };
}

/**
 * How many pending invitations the list shows at first, and how many more
 * each "Afficher plus" adds: after an import of thousands, the page stays
 * quick and the member list below stays in reach.
 */
const INVITATIONS_SHOWN = 10;
const INVITATIONS_MORE = 50;

/** Pending invitations, shown at the top of the member list (SPEC C3). */
export function PendingInvitations() {
  const { t } = useTranslation();
  const dates = useDossierDates();
  const has = useCanWrite();
  const list = useOp('invitations.list', {});
  const [revoking, setRevoking] = useState<InvitationItem | null>(null);
  const resend = useOpMutation('invitations.resend', {
    input: (id: string) => ({ invitationId: id }),
    invalidates: ['invitations.list'],
    // A prepared invitation is sent for the first time: no earlier link to speak of.
    onSuccess: (inv, id) => notifications.show(sentNotice(t, inv, items.find((i) => i.id === id)?.unsent ? 'sent' : 'resent')),
  });
  const revoke = useOpMutation('invitations.revoke', {
    input: (id: string) => ({ invitationId: id }),
    invalidates: ['invitations.list'],
    onSuccess: () => setRevoking(null),
  });
  const [shownCount, setShownCount] = useState(INVITATIONS_SHOWN);
  const items = list.data?.items ?? [];
  if (!items.length) return null;
  const fmt = dates.date;
  return (
    <Card padding="md" mb="md" aria-label={t('invitations.pending')} component="section">
      <Text fw={600} mb="xs">
        {t('invitations.pendingCount', { count: items.length })}
      </Text>
      <Stack gap="xs">
        {items.slice(0, shownCount).map((inv) => (
          <Group key={inv.id} justify="space-between" wrap="wrap" data-testid="pending-invitation">
            <div>
              <Text fw={500}>
                {[inv.firstName, inv.lastName].filter(Boolean).join(' ') || inv.email}{' '}
                {inv.unsent ? (
                  <Badge color="blue" variant="light">
                    {t('invitations.unsent')}
                  </Badge>
                ) : inv.expired ? (
                  <Badge color="red" variant="light">
                    {t('invitations.expired')}
                  </Badge>
                ) : (
                  <Badge color="yellow" variant="light">
                    {t('invitations.waiting')}
                  </Badge>
                )}
              </Text>
              <Text size="sm" c="dimmed">
                {inv.email} · {t(inv.unsent ? 'invitations.preparedBy' : 'invitations.invitedBy', { name: inv.invitedBy || '—', date: fmt(inv.sentAt) })}
              </Text>
            </div>
            {has('members.invite') && (
              <Group gap="xs">
                <Button size="xs" variant="light" leftSection={<IconMailForward size={14} />} loading={resend.isPending && resend.variables === inv.id} onClick={() => resend.mutate(inv.id)}>
                  {t(inv.unsent ? 'invitations.sendNow' : 'invitations.resend')}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(inv)}>
                  {t('invitations.revoke')}
                </Button>
              </Group>
            )}
          </Group>
        ))}
      </Stack>
      {items.length > shownCount && (
        <Button variant="subtle" size="xs" mt="xs" onClick={() => setShownCount((n) => n + INVITATIONS_MORE)}>
          {t('invitations.showMore', { count: Math.min(INVITATIONS_MORE, items.length - shownCount), left: items.length - shownCount })}
        </Button>
      )}
      <ConfirmModal
        opened={!!revoking}
        onClose={() => setRevoking(null)}
        title={t('invitations.revokeTitle')}
        confirmLabel={t('invitations.revoke')}
        color="red"
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        {t('invitations.revokeConfirm', { email: revoking?.email })}
      </ConfirmModal>
    </Card>
  );
}

/** The "Inviter" button and its form (SPEC C2). */
export function InviteButton() {
  const { t } = useTranslation();
  const has = useCanWrite();
  const [open, setOpen] = useState(false);
  if (!has('members.invite')) return null;
  return (
    <>
      <Button leftSection={<IconUserPlus size={16} />} onClick={() => setOpen(true)}>
        {t('invitations.invite')}
      </Button>
      {open && <InviteModal onClose={() => setOpen(false)} />}
    </>
  );
}

function InviteModal({ onClose }: { onClose: () => void }) {
  useFocusBackOnClose();
  const { t } = useTranslation();
  const has = useCanWrite();
  const canGiveRoles = has('rights.edit');
  const roles = useRoles(canGiveRoles);
  const form = useForm({
    initialValues: { email: '', firstName: '', lastName: '', jobTitle: '', employeeRef: '', roleIds: [] as string[] },
    validate: { email: (v) => (v.trim() ? null : t('fields.required')) },
  });
  const invite = useOpMutation('invitations.create', {
    form,
    notify: false,
    input: (v: typeof form.values) => ({ ...v, email: v.email.trim(), rights: [], language: '' }),
    invalidates: ['invitations.list'],
    onSuccess: (inv) => {
      notifications.show(sentNotice(t, inv, 'sent'));
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('invitations.inviteTitle')} size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => invite.mutate(v))}>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('invitations.inviteIntro')}
          </Text>
          <FormError message={invite.errorText} />
          <TextInput label={t('invitations.email')} type="email" required data-autofocus {...form.getInputProps('email')} />
          <Group grow>
            <TextInput label={t('invitations.firstName')} {...form.getInputProps('firstName')} />
            <TextInput label={t('invitations.lastName')} {...form.getInputProps('lastName')} />
          </Group>
          <Group grow>
            <TextInput label={t('invitations.jobTitle')} {...form.getInputProps('jobTitle')} />
            <TextInput label={t('invitations.employeeRef')} {...form.getInputProps('employeeRef')} />
          </Group>
          {canGiveRoles && (
            <MultiSelect
              label={t('invitations.roles')}
              data={(roles.data?.roles ?? []).map((r) => ({ value: r.id, label: roleName(t, r) }))}
              {...form.getInputProps('roleIds')}
            />
          )}
          <ModalActions onCancel={onClose} confirmLabel={t('invitations.send')} loading={invite.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
