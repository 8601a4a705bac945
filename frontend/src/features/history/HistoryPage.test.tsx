import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { SessionProvider } from '../../api/queries';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { HistoryPage } from './HistoryPage';

function show(serverCopy: boolean) {
  const fake = fakeTransport({
    'history.list': () => ({ entries: [], next: 0, timezone: 'Europe/Paris', people: [], actions: [], serverCopy }),
  });
  return renderWithApp(
    <SessionProvider value={makeSession()}>
      <HistoryPage />
    </SessionProvider>,
    fake.transport,
  );
}

describe('Historique', () => {
  it('offers its integrity checks where the history is kept', async () => {
    await show(false);
    expect(await screen.findByRole('button', { name: "Vérifier l'intégrité" })).toBeInTheDocument();
    expect(screen.queryByTestId('server-copy')).not.toBeInTheDocument();
  });

  it("on a connected desktop, says the server's history is checked on the server and offers no check of its own", async () => {
    await show(true);
    expect(await screen.findByTestId('server-copy')).toHaveTextContent("Cet historique est celui du serveur");
    expect(screen.queryByRole('button', { name: "Vérifier l'intégrité" })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Vérifier un fichier exporté' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Exporter en CSV' })).toBeInTheDocument();
  });
});
