import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { setNonce } from 'get-nonce';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createHashRouter, RouterProvider } from 'react-router-dom';
import { I18nextProvider, useTranslation } from 'react-i18next';
import i18n from './i18n';
import { readableColors, spokenTheme } from './theme';
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

// The console routes in the address's hash (the desktop serves one page). A
// data router, so that a page with unsaved changes can hold a navigation
// (useBlocker); every route of the console is under its one catch-all route.
const RoutedChildren = createContext<ReactNode>(null);
function Routed() {
  return <>{useContext(RoutedChildren)}</>;
}
function Router({ children }: { children: ReactNode }) {
  const [router] = useState(() => createHashRouter([{ path: '*', element: <Routed /> }]));
  return (
    <RoutedChildren.Provider value={children}>
      <RouterProvider router={router} />
    </RoutedChildren.Provider>
  );
}

/** Every provider the console needs; tests reuse it with their own QueryClient. */
export function Providers({ children, client, env }: { children: ReactNode; client?: QueryClient; env?: 'test' }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <Themed env={env}>
        <Notifications position="bottom-right" />
        <QueryClientProvider client={queryClient}>
          <Router>{children}</Router>
        </QueryClientProvider>
      </Themed>
    </I18nextProvider>
  );
}

/** Mantine, with its icon-only buttons named in the interface's language. */
function Themed({ children, env }: { children: ReactNode; env?: 'test' }) {
  const { t, i18n: current } = useTranslation();
  const language = current.language;
  const theme = useMemo(() => spokenTheme({ close: t('common.close'), dismiss: t('common.dismiss'), remove: t('common.remove') }), [t, language]);
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={readableColors}
      defaultColorScheme="light"
      env={env}
      getStyleNonce={pageNonce ? () => pageNonce : undefined}
    >
      {children}
    </MantineProvider>
  );
}

export function App() {
  return (
    <Providers>
      <Boot />
    </Providers>
  );
}
