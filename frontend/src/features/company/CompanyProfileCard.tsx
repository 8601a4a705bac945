import { useEffect, useMemo } from 'react';
import { Select, SimpleGrid, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useOp, useOpMutation } from '../../api/ops';
import type { CompanyProfile, CompanyProfileView } from '../../api/types.gen';
import { SectionCard } from '../../ui/SectionCard';
import { foldForSearch } from '../../ui/timezones';
import { countryOptions } from './countries';

const FIELDS: (keyof CompanyProfile)[] = [
  'legalName', 'siret', 'vat', 'address', 'postalCode', 'city', 'country', 'mobilePhone', 'companyPhone',
];

function toValues(p: CompanyProfileView): CompanyProfile {
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

/** Only the profile's own fields go to the backend. */
function toInput(v: CompanyProfile): CompanyProfile {
  const out = {} as CompanyProfile;
  for (const f of FIELDS) out[f] = v[f];
  return out;
}

/** "Profil de l'entreprise": its own form, its own save, its own field errors. */
export function CompanyProfileCard({ readOnly }: { readOnly: boolean }) {
  const { t, i18n } = useTranslation();
  const profile = useOp('company.get', {});
  const form = useForm<CompanyProfile>({ initialValues: toValues({ ...EMPTY }) });
  const countries = useMemo(() => countryOptions(i18n.language), [i18n.language]);

  const loaded = profile.data ? JSON.stringify(toValues(profile.data)) : '';
  useEffect(() => {
    if (!loaded || form.isDirty()) return;
    const v = JSON.parse(loaded) as CompanyProfile;
    form.setInitialValues(v);
    form.setValues(v);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);

  const save = useOpMutation('company.update', {
    form,
    fields: FIELDS,
    input: toInput,
    updates: 'company.get',
    onSuccess: (saved) => {
      const v = toValues(saved);
      form.setInitialValues(v);
      form.setValues(v);
      form.clearErrors();
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });

  const input = (field: keyof CompanyProfile) => ({ ...form.getInputProps(field), readOnly, variant: readOnly ? 'filled' : 'default' });
  return (
    <SectionCard
      title={t('company.profileTitle')}
      description={t('company.profileDescription')}
      onSubmit={readOnly ? undefined : form.onSubmit((v) => save.mutate(v))}
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
    </SectionCard>
  );
}

const EMPTY: CompanyProfileView = {
  legalName: '', siret: '', vat: '', address: '', postalCode: '', city: '', country: '',
  mobilePhone: '', companyPhone: '', mobilePhoneNational: '', companyPhoneNational: '',
};
