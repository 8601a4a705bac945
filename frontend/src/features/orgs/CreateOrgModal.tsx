import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useOpMutation } from '../../api/ops';
import type { CreateOrgInput, OrgSummary } from '../../api/types.gen';
import { ModalActions } from '../../ui/ModalActions';
import { defaultTimeZone } from '../../ui/timezones';
import { TimezoneSelect } from '../../ui/TimezoneSelect';

type Values = Omit<CreateOrgInput, 'confirmDuplicate'>;

export function CreateOrgModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (o: OrgSummary) => void }) {
  const { t } = useTranslation();
  // The name the backend found among the account's dossiers: the form asks
  // before creating a second one, and sends the confirmation only for it.
  const [duplicate, setDuplicate] = useState('');
  const form = useForm<Values>({
    initialValues: { name: '', website: '', timezone: defaultTimeZone() },
    validate: {
      name: (v) => (v.trim() ? null : t('common.required')),
      timezone: (v) => (v ? null : t('common.required')),
    },
    onValuesChange: (v, prev) => {
      if (v.name !== prev.name) setDuplicate('');
    },
  });
  const create = useOpMutation('orgs.create', {
    form,
    fields: ['name', 'website', 'timezone'],
    invalidates: ['orgs.list'],
    onError: (err, vars) => {
      if (err.fields.name === 'duplicate_name') setDuplicate(vars.name.trim());
    },
    onSuccess: (org) => {
      notifications.show({ color: 'teal', message: t('orgs.created', { name: org.name }) });
      form.reset();
      setDuplicate('');
      onCreated(org);
    },
  });
  const submit = (confirmDuplicate: boolean) => form.onSubmit((v) => create.mutate({ ...v, confirmDuplicate }));
  const closeAll = () => {
    setDuplicate('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={closeAll} title={t('orgs.createTitle')} size="lg">
      <form noValidate onSubmit={submit(false)}>
        <Stack gap="md">
          <TextInput label={t('orgs.name')} required data-autofocus {...form.getInputProps('name')} error={duplicate ? undefined : form.errors.name} />
          {duplicate && (
            <Alert color="orange" variant="light" icon={<IconAlertTriangle size={20} />} title={t('orgs.duplicateTitle', { name: duplicate })} role="alert">
              <Stack gap="sm">
                {t('orgs.duplicateText')}
                <Group gap="sm">
                  <Button size="xs" color="orange" loading={create.isPending} onClick={() => submit(true)()}>
                    {t('orgs.duplicateConfirm')}
                  </Button>
                  <Button size="xs" variant="default" onClick={closeAll}>
                    {t('orgs.duplicateCancel')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          <TextInput label={t('orgs.website')} placeholder="https://www.exemple.fr" {...form.getInputProps('website')} />
          <TimezoneSelect
            label={t('orgs.timezone')}
            description={t('orgs.timezoneForever')}
            {...form.getInputProps('timezone')}
          />
          <ModalActions mt="sm" onCancel={closeAll} confirmLabel={t('orgs.createSubmit')} loading={create.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}
