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
import { formatSiret } from './format';

type Values = Omit<CreateOrgInput, 'confirmDuplicate'>;

export function CreateOrgModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (o: OrgSummary) => void }) {
  const { t } = useTranslation();
  // The name or SIRET the backend found among the account's dossiers: the
  // form warns before creating a second one, and sends the confirmation
  // only for what it showed.
  const [duplicate, setDuplicate] = useState<{ name: string; siret: string } | null>(null);
  const form = useForm<Values>({
    initialValues: { name: '', website: '', timezone: defaultTimeZone(), siret: '' },
    validate: {
      name: (v) => (v.trim() ? null : t('common.required')),
      timezone: (v) => (v ? null : t('common.required')),
    },
    onValuesChange: (v, prev) => {
      if (v.name !== prev.name || v.siret !== prev.siret) setDuplicate(null);
    },
  });
  const create = useOpMutation('orgs.create', {
    form,
    fields: ['name', 'website', 'timezone', 'siret'],
    invalidates: ['orgs.list'],
    onError: (err, vars) => {
      const name = err.fields.name === 'duplicate_name' ? vars.name.trim() : '';
      const siret = err.fields.siret === 'duplicate_siret' ? formatSiret(vars.siret.replace(/[\s.]/g, '')) : '';
      // The backend looks for duplicates only once the form is otherwise valid.
      if (name || siret) setDuplicate({ name, siret });
    },
    onSuccess: (org) => {
      notifications.show({ color: 'teal', message: t('orgs.created', { name: org.name }) });
      form.reset();
      setDuplicate(null);
      onCreated(org);
    },
  });
  const submit = (confirmDuplicate: boolean) => form.onSubmit((v) => create.mutate({ ...v, confirmDuplicate }));
  const closeAll = () => {
    setDuplicate(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={closeAll} title={t('orgs.createTitle')} size="lg">
      <form noValidate onSubmit={submit(false)}>
        <Stack gap="md">
          <TextInput label={t('orgs.name')} required data-autofocus {...form.getInputProps('name')} error={duplicate ? undefined : form.errors.name} />
          <TextInput
            label={t('company.siret')}
            description={t('orgs.siretHint')}
            inputMode="numeric"
            {...form.getInputProps('siret')}
            error={duplicate ? undefined : form.errors.siret}
          />
          {duplicate && (
            <Alert
              color="orange"
              variant="light"
              icon={<IconAlertTriangle size={20} />}
              title={duplicate.name ? t('orgs.duplicateTitle', { name: duplicate.name }) : t('orgs.duplicateSiretTitle', { siret: duplicate.siret })}
              role="alert"
            >
              <Stack gap="sm">
                {duplicate.name && duplicate.siret && <span>{t('orgs.duplicateSiretToo', { siret: duplicate.siret })}</span>}
                <span>{duplicate.name ? t('orgs.duplicateText') : t('orgs.duplicateSiretText')}</span>
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
