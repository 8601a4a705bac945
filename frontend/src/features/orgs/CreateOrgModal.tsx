import { Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import type { CreateOrgInput, OrgSummary } from '../../api/types.gen';
import { ModalActions } from '../../ui/ModalActions';
import { defaultTimeZone } from '../../ui/timezones';
import { TimezoneSelect } from '../../ui/TimezoneSelect';

export function CreateOrgModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (o: OrgSummary) => void }) {
  const { t } = useTranslation();
  const form = useForm<CreateOrgInput>({
    initialValues: { name: '', website: '', timezone: defaultTimeZone() },
    validate: {
      name: (v) => (v.trim() ? null : t('common.required')),
      timezone: (v) => (v ? null : t('common.required')),
    },
  });
  const create = useOpMutation('orgs.create', {
    form,
    invalidates: ['orgs.list'],
    onSuccess: (org) => {
      notifications.show({ color: 'teal', message: t('orgs.created', { name: org.name }) });
      form.reset();
      onCreated(org);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.createTitle')} size="lg">
      <form noValidate onSubmit={form.onSubmit((v) => create.mutate(v))}>
        <Stack gap="md">
          <TextInput label={t('orgs.name')} required data-autofocus {...form.getInputProps('name')} />
          <TextInput label={t('orgs.website')} placeholder="https://www.exemple.fr" {...form.getInputProps('website')} />
          <TimezoneSelect
            label={t('orgs.timezone')}
            description={t('orgs.timezoneForever')}
            {...form.getInputProps('timezone')}
          />
          <ModalActions mt="sm" onCancel={onClose} confirmLabel={t('orgs.createSubmit')} loading={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
