import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { applyLanguage, LANGUAGES } from '../i18n';

/** Language choice before signing in: remembered on this computer only. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      radius="xl"
      aria-label={t('language.label')}
      value={i18n.language}
      onChange={(v) => void applyLanguage(v)}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
    />
  );
}
