import { useMemo } from 'react';
import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { foldForSearch, timeZoneLabel, timeZones } from './timezones';

/** The searchable IANA time-zone picker of the first run and of a new organization. */
export function TimezoneSelect(props: Omit<SelectProps, 'data' | 'searchable' | 'filter'>) {
  const { t } = useTranslation();
  const options = useMemo(() => timeZones().map((z) => ({ value: z, label: timeZoneLabel(z) })), []);
  return (
    <Select
      placeholder={t('setup.timezoneSearch')}
      nothingFoundMessage={t('setup.timezoneNothing')}
      data={options}
      searchable
      // Accents and case do not matter: "reunion" finds "Indian / Réunion".
      // A custom filter must apply the limit itself: without it, opening the
      // picker renders all ~420 zones.
      filter={({ options: all, search, limit }) => {
        const q = foldForSearch(search.trim());
        return all.filter((o) => 'value' in o && foldForSearch(o.label).includes(q)).slice(0, limit);
      }}
      allowDeselect={false}
      limit={100}
      required
      {...props}
    />
  );
}
