import { describe, expect, it, vi } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeTransport } from '../../../test/fakeTransport';
import { renderWithApp } from '../../../test/render';
import { MyApplicationsPage } from './MyApplicationsPage';

describe('Mes applications', () => {
  it('opens the application at its address from its tile', async () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const fake = fakeTransport({
      'account.applications': () => ({
        organizations: [{ orgId: 'o1', orgName: 'Boulangerie Martin', applications: [
          { key: 'invoicing', name: { fr: 'Facturation', en: 'Invoicing' }, description: { fr: 'Devis et factures clients, relances.', en: '' }, url: 'https://facturation.example.fr/' },
        ] }],
      }),
    });
    await renderWithApp(<MyApplicationsPage />, fake.transport);
    const tile = await screen.findByRole('link', { name: 'Ouvrir Facturation' });
    expect(tile).toHaveAttribute('href', 'https://facturation.example.fr/');
    await userEvent.click(tile);
    expect(open).toHaveBeenCalledWith('https://facturation.example.fr/', '_blank', 'noopener,noreferrer');
    open.mockRestore();
  });
});
