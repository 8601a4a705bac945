import { useEffect, useMemo, useState } from 'react';
import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import type { CompanyProfile, CompanyProfileView, FieldConflict } from '../../api/types.gen';
import { ConflictAlert, settle } from '../../ui/ConflictAlert';
import { SectionCard } from '../../ui/SectionCard';
import { foldForSearch } from '../../ui/timezones';
import { countryOptions } from './countries';

const FIELDS: Field[] = [
  'legalName', 'siret', 'vat', 'address', 'postalCode', 'city', 'country', 'mobilePhone', 'companyPhone',
];

function toValues(p: CompanyProfileView): Fields {
  return {
    legalName: p.legalName,
    siret: p.siret,
    vat: p.vat,
    address: p.address,
    postalCode: p.postalCode,
    city: p.city,
    country: p.country || 'FR',
    mobilePhone: p.mobilePhoneNational || p.mobilePhone,
    companyPhone: p.companyPhoneNational || p.companyPhone,
  };
}

type Fields = Omit<CompanyProfile, 'base'>;
type Field = keyof Fields;

/** Only the profile's own fields go to the backend, with the profile the form showed as their base. */
function toInput({ values, base }: { values: Fields; base: Record<string, string> }): CompanyProfile {
  const out = {} as Fields;
  for (const f of FIELDS) out[f] = values[f];
  return { ...out, base };
}

/** The profile as the form showed it, before any default: the base of a save. */
function toBase(p: CompanyProfileView): Record<string, string> {
  return { ...toValues(p), country: p.country };
}

/** "Profil de l'entreprise": its own form, its own save, its own field errors. */
export function CompanyProfileCard({ readOnly }: { readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const profile = useOp('company.get', {});
  const form = useForm<Fields>({ initialValues: toValues({ ...EMPTY }) });
  // What the form showed: the base of the fields sent. A field someone else
  // changed meanwhile comes back as a conflict, with both values.
  const [shown, setShown] = useState<Record<string, string>>(() => toBase(EMPTY));
  const [conflicts, setConflicts] = useState<FieldConflict[]>([]);
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);

  const loaded = profile.data ? JSON.stringify(toValues(profile.data)) : '';
  useEffect(() => {
    if (!loaded || form.isDirty()) return;
    const v = JSON.parse(loaded) as Fields;
    form.setInitialValues(v);
    form.setValues(v);
    if (profile.data) setShown(toBase(profile.data));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);

  const save = useOpMutation('company.update', {
    form,
    fields: FIELDS,
    input: toInput,
    updates: 'company.get',
    onMutate: () => setConflicts([]),
    onError: (err) => setConflicts(err.conflicts),
    onSuccess: (saved) => {
      setShown(toBase(saved));
      const v = toValues(saved);
      form.setInitialValues(v);
      form.setValues(v);
      form.clearErrors();
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });

  // Keep mine: sent again over the values saved now. Keep the current one:
  // the fields take the saved values and the rest of the form is sent again.
  const resolve = (keepMine: boolean) => {
    const { base, values } = settle(shown, form.getValues(), conflicts, keepMine);
    setShown(base);
    if (!keepMine) form.setValues(values);
    form.clearErrors();
    save.mutate({ values, base });
  };
  const input = (field: Field) => ({ ...form.getInputProps(field), readOnly, variant: readOnly ? 'filled' : 'default' });
  return (
    <SectionCard
      title={t('company.profileTitle')}
      description={t('company.profileDescription')}
      onSubmit={readOnly ? undefined : form.onSubmit((values) => save.mutate({ values, base: shown }))}
      dirty={form.isDirty()}
      saving={save.isPending}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput label={t('company.legalName')} autoComplete="organization" {...input('legalName')} />
        <TextInput label={t('company.siret')} description={t('company.siretHint')} inputMode="numeric" {...input('siret')} />
        <TextInput label={t('company.vat')} description={t('company.vatHint')} {...input('vat')} />
        <TextInput label={t('company.address')} autoComplete="street-address" {...input('address')} />
        <TextInput label={t('company.postalCode')} autoComplete="postal-code" {...input('postalCode')} />
        <TextInput label={t('company.city')} autoComplete="address-level2" {...input('city')} />
        <Select
          label={t('company.country')}
          data={countries}
          searchable
          allowDeselect={false}
          filter={({ options, search }) => {
            const q = foldForSearch(search.trim());
            return options.filter((o) => 'value' in o && foldForSearch(o.label).includes(q));
          }}
          nothingFoundMessage={t('company.countryNothing')}
          {...input('country')}
          disabled={readOnly}
        />
        <TextInput label={t('company.companyPhone')} type="tel" autoComplete="tel" {...input('companyPhone')} />
        <TextInput label={t('company.mobilePhone')} type="tel" {...input('mobilePhone')} />
      </SimpleGrid>
      <ConflictAlert conflicts={conflicts} label={(f) => t(`company.${f}`)} loading={save.isPending}
        onKeepMine={() => resolve(true)} onKeepTheirs={() => resolve(false)} />
    </SectionCard>
  );
}

const EMPTY: CompanyProfileView = {
  legalName: '', siret: '', vat: '', address: '', postalCode: '', city: '', country: '',
  mobilePhone: '', companyPhone: '', mobilePhoneNational: '', companyPhoneNational: '',
};
