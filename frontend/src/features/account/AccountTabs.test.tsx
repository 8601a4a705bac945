import { afterEach, describe, expect, it, beforeEach } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { renderWithApp } from '../../test/render';
import { accountBackend } from './testBackend';

afterEach(() => {
  window.location.hash = '';
});

const tab = (name: string) => screen.getByRole('tab', { name });

describe('Mon compte › onglets', () => {
  // Signing in lands on "Accueil": these tests open "Mon compte" by its address.
  beforeEach(() => {
    window.location.hash = '#/account';
  });
  it('opens on "Profil" by default, with only its sections shown', async () => {
    await renderWithApp(<Boot />, accountBackend().transport);
    expect(await screen.findByRole('region', { name: 'Identité' })).toBeVisible();
    expect(tab('Profil')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('region', { name: 'Coordonnées' })).toBeVisible();
    expect(screen.getByRole('region', { name: 'Poste' })).toBeVisible();
    expect(screen.getByRole('region', { name: "Langue de l'interface" })).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Mot de passe' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Notifications par e-mail' })).not.toBeInTheDocument();
  });

  it('a deep link opens the right tab: /account?tab=security', async () => {
    window.location.hash = '#/account?tab=security';
    await renderWithApp(<Boot />, accountBackend().transport);
    expect(await screen.findByRole('region', { name: 'Mot de passe' })).toBeVisible();
    expect(tab('Sécurité')).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByRole('region', { name: 'Validation en deux étapes' })).toBeVisible();
    expect(screen.getByRole('region', { name: 'Appareils et sessions' })).toBeVisible();
    expect(screen.getByRole('region', { name: 'Supprimer mon compte' })).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Identité' })).not.toBeInTheDocument();
  });

  it('a deep link to notifications, and an unknown tab falls back to "Profil"', async () => {
    window.location.hash = '#/account?tab=notifications';
    const first = await renderWithApp(<Boot />, accountBackend().transport);
    expect(await screen.findByRole('region', { name: 'Notifications par e-mail' })).toBeVisible();
    first.unmount();

    window.location.hash = '#/account?tab=nope';
    await renderWithApp(<Boot />, accountBackend().transport);
    expect(await screen.findByRole('region', { name: 'Identité' })).toBeVisible();
  });

  it('remembers the chosen tab in the address, and works with the keyboard', async () => {
    const user = userEvent.setup();
    await renderWithApp(<Boot />, accountBackend().transport);
    await screen.findByRole('region', { name: 'Identité' });

    await user.click(tab('Sécurité'));
    expect(await screen.findByRole('region', { name: 'Mot de passe' })).toBeVisible();
    expect(window.location.hash).toBe('#/account?tab=security');

    // Arrow keys move between tabs and open them (WAI-ARIA tabs pattern).
    expect(tab('Sécurité')).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(tab('Notifications')).toHaveFocus();
    await waitFor(() => expect(tab('Notifications')).toHaveAttribute('aria-selected', 'true'));
    expect(window.location.hash).toBe('#/account?tab=notifications');
    await user.keyboard('{ArrowRight}');
    await waitFor(() => expect(tab('Profil')).toHaveAttribute('aria-selected', 'true'));
    expect(window.location.hash).toBe('#/account');
  });

  it('keeps unsaved changes of a tab while another one is open', async () => {
    const user = userEvent.setup();
    await renderWithApp(<Boot />, accountBackend().transport);
    const job = await screen.findByLabelText('Fonction');
    await user.type(job, ' adjointe');
    await user.click(tab('Notifications'));
    await user.click(tab('Profil'));
    expect(screen.getByLabelText('Fonction')).toHaveValue('Responsable administrative adjointe');
  });

  it('opens on "Sécurité" when the organization requires two-step verification', async () => {
    await renderWithApp(<Boot />, accountBackend({}, { mustEnrollTwoFactor: true }).transport);
    expect(await screen.findByText('Votre organisation demande la validation en deux étapes')).toBeVisible();
    expect(tab('Sécurité')).toHaveAttribute('aria-selected', 'true');
  });
});
