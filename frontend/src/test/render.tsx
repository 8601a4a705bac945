import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { Providers } from '../App';
import { createQueryClient } from '../api/queries';
import { setTransport, type Transport } from '../api/client';
import i18n from '../i18n';

/** Renders with every real provider and the given fake transport. */
export async function renderWithApp(ui: ReactElement, transport: Transport, language = 'fr') {
  setTransport(transport);
  await i18n.changeLanguage(language);
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } });
  const result = render(<Providers client={client} env="test">{ui}</Providers>);
  return { ...result, client };
}
