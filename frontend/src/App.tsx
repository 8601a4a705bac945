import { useState, type ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { setNonce } from 'get-nonce';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { HashRouter } from 'react-router-dom';
import { I18nextProvider } from 'react-i18next';
import i18n from './i18n';
import { theme } from './theme';
import { createQueryClient } from './api/queries';
import { Boot } from './features/shell/Boot';

/**
 * The nonce the server sent this page with (its Content-Security-Policy lets
 * only <style> tags carrying it apply): Mantine puts it on the tags it writes.
 * Read from the nonce property, which browsers hide from the page's CSS. None
 * on the desktop, which serves the page without the policy.
 */
export function styleNonce(doc: Document = document): string | undefined {
  return doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
}

const pageNonce = styleNonce();
// Modals lock the page's scroll with a <style> tag of their own (react-remove-scroll).
if (pageNonce) setNonce(pageNonce);

/** Every provider the console needs; tests reuse it with their own QueryClient. */
export function Providers({ children, client, env }: { children: ReactNode; client?: QueryClient; env?: 'test' }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} defaultColorScheme="light" env={env} getStyleNonce={pageNonce ? () => pageNonce : undefined}>
        <Notifications position="bottom-right" />
        <QueryClientProvider client={queryClient}>
          <HashRouter>{children}</HashRouter>
        </QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}

export function App() {
  return (
    <Providers>
      <Boot />
    </Providers>
  );
}
