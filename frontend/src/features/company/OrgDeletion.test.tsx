import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { fakeTransport, makeSession, type Handlers } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import type { ConfirmDeletionInput, OrgDetails, OrgSummary, SessionInfo } from '../../api/types.gen';

afterEach(() => {
  window.location.hash = '';
});

const martin: OrgDetails = {
  id: '0190a1b2-0000-7000-8000-000000000002', name: 'Boulangerie Martin', website: '', timezone: 'Europe/Paris', status: 'active', closedAt: '',
};
const durand: OrgSummary = { id: '0190a1b2-0000-7000-8000-000000000009', name: 'Cabinet Durand', timezone: 'Europe/Paris', status: 'active', current: false,
  legalName: 'Cabinet Durand', siret: '', members: 1, roles: ['Administrateur'], openTasks: 0, lastActivity: '' };
const empty = {
  legalName: '', siret: '', vat: '', address: '', postalCode: '', city: '', country: '',
  mobilePhone: '', companyPhone: '', mobilePhoneNational: '', companyPhoneNational: '',
};

function backend(opts: { rights?: string[]; others?: OrgSummary[]; overrides?: Handlers } = {}) {
  const rights = opts.rights ?? ['org.delete', 'org.edit'];
  let session: SessionInfo | 'signedOut' = makeSession({ rights });
  let requireTwoFactor = false;
  return fakeTransport({
    'setup.status': () => ({ needsSetup: false, version: 'test' }),
    'session.current': () => {
      if (session === 'signedOut') throw new ApiError('unauthenticated', 'not signed in');
      return session;
    },
    'orgs.current': () => martin,
    'orgs.members': () => ({ items: [] }),
    'company.get': () => empty,
    'security.orgPolicy': () => ({ requireTwoFactor }),
    'security.setOrgPolicy': (input: { requireTwoFactor: boolean }) => {
      requireTwoFactor = input.requireTwoFactor;
      return { requireTwoFactor };
    },
    'orgs.requestDeletion': () => ({ method: 'email', sentTo: 'claire.martin@example.fr', twoFactor: false }),
    'orgs.delete': (input: ConfirmDeletionInput) => {
      if (input.code !== '246810') throw new ApiError('validation', 'bad', { code: 'invalid_code' });
      return { name: martin.name };
    },
    'orgs.list': () => ({ items: opts.others ?? [], total: (opts.others ?? []).length }),
    'orgs.switch': ({ orgId }: { orgId: string }) => {
      const o = (opts.others ?? []).find((x) => x.id === orgId)!;
      session = makeSession({ rights, organization: { id: o.id, name: o.name, timezone: o.timezone, status: o.status } });
      return session;
    },
    'auth.signOut': () => {
      session = 'signedOut';
      return {};
    },
    ...opts.overrides,
  });
}

async function openCompany(fake: ReturnType<typeof backend>) {
  window.location.hash = '#/company';
  await renderWithApp(<Boot />, fake.transport);
  return screen.findByRole('region', { name: "Statut de l'organisation" });
}

async function deleteWithCode(fake: ReturnType<typeof backend>) {
  const user = userEvent.setup();
  const status = await openCompany(fake);
  await user.click(within(status).getByRole('button', { name: "Supprimer l'organisation" }));
  const dialog = await screen.findByRole('dialog', { name: /^Supprimer «\sBoulangerie Martin\s»$/ });

  // The name must be typed before anything is sent.
  const next = within(dialog).getByRole('button', { name: 'Continuer' });
  expect(next).toBeDisabled();
  const name = within(dialog).getByLabelText(/saisissez le nom de l'organisation/);
  await user.type(name, 'Boulangerie');
  expect(next).toBeDisabled();
  await user.type(name, ' martin');
  expect(next).toBeDisabled(); // the exact name
  await user.clear(name);
  await user.type(name, 'Boulangerie Martin ');
  expect(next).toBeEnabled();
  await user.click(next);

  const code = await within(dialog).findByLabelText(/Code reçu par e-mail/);
  await user.type(code, '111111');
  await user.click(within(dialog).getByRole('button', { name: "Supprimer définitivement l'organisation" }));
  expect(await within(dialog).findByText("Ce code n'est pas valide ou a déjà été utilisé.")).toBeInTheDocument();
  await user.clear(code);
  await user.type(code, '246810');
  await user.click(within(dialog).getByRole('button', { name: "Supprimer définitivement l'organisation" }));
  return user;
}

describe('Entreprise › Supprimer l\'organisation', () => {
  it('is offered only with the right org.delete', async () => {
    const status = await openCompany(backend({ rights: ['org.edit'] }));
    expect(within(status).getByRole('button', { name: "Fermer l'organisation" })).toBeInTheDocument();
    expect(within(status).queryByRole('button', { name: "Supprimer l'organisation" })).not.toBeInTheDocument();
  });

  it('with org.delete alone, offers the deletion but not closing', async () => {
    const status = await openCompany(backend({ rights: ['org.delete'] }));
    expect(within(status).getByRole('button', { name: "Supprimer l'organisation" })).toBeInTheDocument();
    expect(within(status).queryByRole('button', { name: "Fermer l'organisation" })).not.toBeInTheDocument();
  });

  it('after the name and the code, moves on to another organization of the account', async () => {
    const fake = backend({ others: [{ ...durand, id: 'closed-one', name: 'Ancien cabinet', status: 'closed' }, durand] });
    await deleteWithCode(fake);
    expect(await screen.findByText('L\'organisation « Boulangerie Martin » a été supprimée. Vous travaillez maintenant dans « Cabinet Durand ».')).toBeInTheDocument();
    expect(fake.inputsOf('orgs.delete')).toStrictEqual([
      { code: '111111', password: '', twoFactorCode: '' },
      { code: '246810', password: '', twoFactorCode: '' },
    ]);
    expect(fake.inputsOf('orgs.switch')).toStrictEqual([{ orgId: durand.id }]);
    await waitFor(() => expect(screen.getByTestId('org-switcher')).toHaveTextContent('Cabinet Durand'));
    expect(fake.inputsOf('auth.signOut')).toHaveLength(0);
  });

  it('with no organization left, returns to the sign-in page', async () => {
    const fake = backend({ others: [] });
    await deleteWithCode(fake);
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
    expect(screen.getByText(/« Boulangerie Martin » a été supprimée. Vous n'appartenez plus à aucune organisation/)).toBeInTheDocument();
    expect(fake.inputsOf('auth.signOut')).toHaveLength(1);
    expect(fake.inputsOf('orgs.switch')).toHaveLength(0);
  });
});

describe('Entreprise › Sécurité', () => {
  it('requires two-step verification of the members with one switch', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openCompany(fake);
    const card = screen.getByRole('region', { name: 'Sécurité' });
    const toggle = await within(card).findByRole('switch', { name: /^Exiger la validation en deux étapes pour les membres/ });
    expect(toggle).not.toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(fake.inputsOf('security.setOrgPolicy')).toStrictEqual([{ requireTwoFactor: true }]));
    expect(await screen.findByText('La validation en deux étapes est désormais exigée pour les membres.')).toBeInTheDocument();
    expect(toggle).toBeChecked();
  });

  it('asks the admin to turn it on for themself first', async () => {
    const user = userEvent.setup();
    const fake = backend({
      overrides: {
        'security.setOrgPolicy': () => {
          throw new ApiError('validation', 'x', { requireTwoFactor: 'two_factor_enable_first' });
        },
      },
    });
    await openCompany(fake);
    const card = screen.getByRole('region', { name: 'Sécurité' });
    await user.click(await within(card).findByRole('switch'));
    expect(await within(card).findByText(/Activez d'abord la validation en deux étapes sur votre propre compte/)).toBeInTheDocument();
    expect(within(card).getByRole('link', { name: 'Ouvrir Mon compte › Sécurité' })).toHaveAttribute('href', '#/account?tab=security');
    expect(within(card).getByRole('switch')).not.toBeChecked();
  });

  it('is read-only without the right org.edit', async () => {
    await openCompany(backend({ rights: ['org.delete'] }));
    const card = screen.getByRole('region', { name: 'Sécurité' });
    expect(await within(card).findByRole('switch')).toBeDisabled();
    expect(within(card).getByText(/Seuls les membres autorisés/)).toBeInTheDocument();
  });
});
