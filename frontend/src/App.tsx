import { useState, type ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { HashRouter } from 'react-router-dom';
import { I18nextProvider } from 'react-i18next';
import i18n from './i18n';
import { theme } from './theme';
import { createQueryClient } from './api/queries';
import { Boot } from './features/shell/Boot';

/** Every provider the console needs; tests reuse it with their own QueryClient. */
export function Providers({ children, client, env }: { children: ReactNode; client?: QueryClient; env?: 'test' }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} defaultColorScheme="light" env={env}>
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
