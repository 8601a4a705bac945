import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client';
import type { CreateOrgInput, OrgSummary } from '../../api/types.gen';
import { errorMessage, fieldErrors } from '../../i18n/errors';
import { defaultTimeZone } from '../setup/timezones';
import { TimezoneSelect } from '../setup/TimezoneSelect';

const FIELDS = ['name', 'website', 'timezone'];

export function CreateOrgModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (o: OrgSummary) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const form = useForm<CreateOrgInput>({
    initialValues: { name: '', website: '', timezone: defaultTimeZone() },
    validate: {
      name: (v) => (v.trim() ? null : t('common.required')),
      timezone: (v) => (v ? null : t('common.required')),
    },
  });
  const create = useMutation({
    mutationFn: (values: CreateOrgInput) => call('orgs.create', values),
    onSuccess: (org) => {
      notifications.show({ color: 'teal', message: t('orgs.created', { name: org.name }) });
      void client.invalidateQueries({ queryKey: ['orgs.list'] });
      form.reset();
      onCreated(org);
    },
    onError: (err) => {
      const fields = fieldErrors(t, err, FIELDS);
      if (fields) form.setErrors(fields);
      else notifications.show({ color: 'red', title: t('errors.title'), message: errorMessage(t, err) });
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
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              {t('orgs.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('orgs.createSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
