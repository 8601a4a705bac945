import { useTranslation } from 'react-i18next';
import type { Text } from '../api/types.gen';

/** A catalog text (a right, an application…) in the interface language. */
export function useText() {
  const { i18n } = useTranslation();
  return (text: Text) => (i18n.language === 'en' ? text.en : text.fr);
}
