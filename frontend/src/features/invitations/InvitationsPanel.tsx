import { useState } from 'react';
import { Badge, Button, Card, Group, Modal, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconMailForward, IconUserPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { InvitationItem } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { FormError } from '../../ui/FormError';
import { useHasRight, useRoles } from '../users/api';

export const invitationKeys = { list: ['invitations.list'] as const };

/** Pending invitations, shown at the top of the member list (SPEC C3). */
export function PendingInvitations() {
  const { t, i18n } = useTranslation();
  const has = useHasRight();
  const client = useQueryClient();
  const list = useQuery({ queryKey: invitationKeys.list, queryFn: () => call('invitations.list', {}) });
  const [revoking, setRevoking] = useState<InvitationItem | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: invitationKeys.list });
  const resend = useMutation({
    mutationFn: (id: string) => call('invitations.resend', { invitationId: id }),
    onSuccess: (inv) => {
      refresh();
      notifications.show({ color: 'teal', message: t('invitations.resent', { email: inv.email }) });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => call('invitations.revoke', { invitationId: id }),
    onSuccess: () => {
      setRevoking(null);
      refresh();
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  const items = list.data?.items ?? [];
  if (!items.length) return null;
  const fmt = (d: string) => new Date(d).toLocaleDateString(i18n.language, { day: 'numeric', month: 'long', year: 'numeric' });
  return (
    <Card padding="md" mb="md" aria-label={t('invitations.pending')} component="section">
      <Text fw={600} mb="xs">
        {t('invitations.pendingCount', { count: items.length })}
      </Text>
      <Stack gap="xs">
        {items.map((inv) => (
          <Group key={inv.id} justify="space-between" wrap="wrap" data-testid="pending-invitation">
            <div>
              <Text fw={500}>
                {[inv.firstName, inv.lastName].filter(Boolean).join(' ') || inv.email}{' '}
                {inv.expired ? (
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
                {inv.email} · {t('invitations.invitedBy', { name: inv.invitedBy || '—', date: fmt(inv.sentAt) })}
              </Text>
            </div>
            {has('members.invite') && (
              <Group gap="xs">
                <Button size="xs" variant="light" leftSection={<IconMailForward size={14} />} loading={resend.isPending && resend.variables === inv.id} onClick={() => resend.mutate(inv.id)}>
                  {t('invitations.resend')}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(inv)}>
                  {t('invitations.revoke')}
                </Button>
              </Group>
            )}
          </Group>
        ))}
      </Stack>
      <Modal opened={!!revoking} onClose={() => setRevoking(null)} title={t('invitations.revokeTitle')}>
        <Text mb="md">{t('invitations.revokeConfirm', { email: revoking?.email })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setRevoking(null)}>
            {t('invitations.cancel')}
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking.id)}>
            {t('invitations.revoke')}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}

/** The "Inviter" button and its form (SPEC C2). */
export function InviteButton() {
  const { t } = useTranslation();
  const has = useHasRight();
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
  const { t } = useTranslation();
  const has = useHasRight();
  const client = useQueryClient();
  const canGiveRoles = has('rights.edit');
  const roles = useRoles(canGiveRoles);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', firstName: '', lastName: '', jobTitle: '', employeeRef: '', roleIds: [] as string[] },
    validate: { email: (v) => (v.trim() ? null : t('fields.required')) },
  });
  const invite = useMutation({
    mutationFn: (v: typeof form.values) => call('invitations.create', { ...v, email: v.email.trim(), rights: [], language: '' }),
    onSuccess: (inv) => {
      void client.invalidateQueries({ queryKey: invitationKeys.list });
      notifications.show({ color: 'teal', message: t('invitations.sent', { email: inv.email }) });
      onClose();
    },
    onError: (err) => {
      const fields = fieldErrors(t, err, ['email', 'firstName', 'lastName', 'jobTitle', 'employeeRef', 'roleIds']);
      if (fields) form.setErrors(fields);
      setFormError(fields ? null : errorMessage(t, err));
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('invitations.inviteTitle')} size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => invite.mutate(v))}>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('invitations.inviteIntro')}
          </Text>
          <FormError message={formError} />
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
              data={(roles.data?.roles ?? []).map((r) => ({ value: r.id, label: r.name }))}
              {...form.getInputProps('roleIds')}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('invitations.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending}>
              {t('invitations.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
