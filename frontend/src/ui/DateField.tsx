import { DateInput, type DateInputProps } from '@mantine/dates';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import 'dayjs/locale/fr';
import 'dayjs/locale/en';
import { useTranslation } from 'react-i18next';

dayjs.extend(customParseFormat);

/** The ways a person types a day, most likely first; two-digit years are this century. */
const TYPED = ['DD/MM/YYYY', 'D/M/YYYY', 'DD/MM/YY', 'D/M/YY', 'DD.MM.YYYY', 'DD-MM-YYYY', 'YYYY-MM-DD'];

/** Reads a typed day (jj/mm/aaaa and its usual variants) as YYYY-MM-DD, or null. */
export function parseDay(text: string): string | null {
  const d = dayjs(text.trim(), TYPED, true);
  return d.isValid() ? d.format('YYYY-MM-DD') : null;
}

type Props = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser' | 'locale'> & {
  value?: string; // YYYY-MM-DD, or empty for none
  onChange: (value: string) => void;
};

/**
 * A day, shown and typed as jj/mm/aaaa whatever the browser's or the
 * system's language, with a calendar in the console's language (weeks start
 * on Monday). Its value is the day as the backend takes it, YYYY-MM-DD.
 */
export function DateField({ value, onChange, ...props }: Props) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language.startsWith('en') ? 'en' : 'fr';
  return (
    <DateInput
      {...props}
      locale={locale}
      firstDayOfWeek={1}
      valueFormat="DD/MM/YYYY"
      dateParser={parseDay}
      placeholder={props.placeholder ?? t('common.dayPlaceholder')}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      clearable
    />
  );
}
