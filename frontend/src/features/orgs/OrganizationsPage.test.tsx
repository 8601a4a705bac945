import { afterEach, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { tabOrg } from '../../api/org';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import type { CreateOrgInput, ListOrgsInput, OrgSummary, SessionInfo } from '../../api/types.gen';
import { byNameOrId, formatSiret } from './format';

afterEach(() => {
  window.location.hash = '';
});

const line = (over: Partial<OrgSummary>): OrgSummary => ({
  id: '', name: '', timezone: 'Europe/Paris', status: 'active', current: false, legalName: '', siret: '',
  members: 1, roles: ['Administrateur'], openTasks: 0, lastActivity: '', ...over,
});
const martin = line({ id: 'org-martin', name: 'Boulangerie Martin', legalName: 'BOULANGERIE MARTIN SARL', siret: '44306184100047', members: 4, openTasks: 3, current: true, lastActivity: '2026-03-14T23:30:00Z' });
const durand = line({ id: 'org-durand', name: 'Cabinet Durand', legalName: 'Cabinet Durand', members: 12, openTasks: 0, roles: ['Comptable', 'Paie'], lastActivity: '2026-02-01T09:00:00Z' });
const ancien = line({ id: 'org-ancien', name: 'Ancien client', legalName: 'Ancien client', status: 'closed', members: 2, openTasks: 7, roles: [] });
const all = [martin, durand, ancien];

function backend() {
  let session: SessionInfo = makeSession({ organization: { id: martin.id, name: martin.name, timezone: martin.timezone, status: 'active' } });
  return fakeTransport({
    'setup.status': () => ({ needsSetup: false, version: 'test' }),
    'session.current': () => session,
    'orgs.list': (input: ListOrgsInput) => {
      const key = (input.sort ?? 'name') as 'name' | 'members' | 'openTasks';
      const items = [...all].sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
      if (input.desc) items.reverse();
      return { items: items.map((o) => ({ ...o, current: o.id === session.organization.id })), total: items.length };
    },
    'orgs.switch': ({ orgId }: { orgId: string }) => {
      const o = all.find((x) => x.id === orgId)!;
      session = makeSession({ organization: { id: o.id, name: o.name, timezone: o.timezone, status: o.status } });
      return session;
    },
    'orgs.create': (input: CreateOrgInput) => {
      if (input.name.toLowerCase() === 'cabinet durand' && !input.confirmDuplicate) {
        throw new ApiError('validation', 'duplicate', { name: 'duplicate_name' });
      }
      if (input.siret.replace(/\s/g, '') === martin.siret && !input.confirmDuplicate) {
        throw new ApiError('validation', 'duplicate', { siret: 'duplicate_siret' });
      }
      return line({ id: 'org-new', name: input.name, legalName: input.name });
    },
  });
}

async function openPage(fake: ReturnType<typeof backend>) {
  window.location.hash = '#/organizations';
  await renderWithApp(<Boot />, fake.transport);
  const table = await screen.findByRole('table', { name: 'Organisations' });
  await within(table).findByText('Cabinet Durand');
  return table;
}

const namesIn = (table: HTMLElement) =>
  within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0].querySelector('p')?.textContent);

describe('Organisations', () => {
  it('one filter box takes a name or an identifier', () => {
    expect(byNameOrId('epi d')).toStrictEqual({ name: 'epi d', id: '' });
    expect(byNameOrId('cafe')).toStrictEqual({ name: 'cafe', id: '' });
    expect(byNameOrId(' 0190A1B2-0000-7000 ')).toStrictEqual({ name: '', id: '0190a1b2-0000-7000' });
  });

  it('formats a SIRET in groups', () => {
    expect(formatSiret('44306184100047')).toBe('443 061 841 00047');
    expect(formatSiret('')).toBe('');
  });

  it('shows the columns that help choose a dossier', async () => {
    const table = await openPage(backend());
    const rows = within(table).getAllByRole('row');
    expect(within(rows[0]).getAllByRole('columnheader').map((h) => h.textContent)).toStrictEqual([
      'Organisation', 'Statut', 'Membres', 'Mon rôle', 'Tâches ouvertes', 'Dernière activité', '',
    ]);
    const bakery = rows[2]; // by name: Ancien client, Boulangerie Martin, Cabinet Durand
    expect(bakery).toHaveTextContent('BOULANGERIE MARTIN SARL');
    expect(bakery).toHaveTextContent('SIRET 443 061 841 00047');
    expect(bakery).toHaveTextContent('15/03/2026'); // 23:30 UTC is the next day in Paris
    expect(within(bakery).getByText('Actuelle')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Fermée');
    expect(rows[1]).toHaveTextContent('Aucun rôle');
    expect(rows[3]).not.toHaveTextContent('Fermée');
    expect(rows[3]).toHaveTextContent('Active');
    expect(within(table).getByText('Comptable, Paie')).toBeInTheDocument();
  });

  it('sorts by a column, largest first, then the other way', async () => {
    const user = userEvent.setup();
    const fake = backend();
    const table = await openPage(fake);
    expect(namesIn(table)).toStrictEqual(['Ancien client', 'Boulangerie Martin', 'Cabinet Durand']);
    await user.click(screen.getByRole('button', { name: 'Trier par « Membres »' }));
    await waitFor(() => expect(namesIn(table)).toStrictEqual(['Cabinet Durand', 'Boulangerie Martin', 'Ancien client']));
    await user.click(screen.getByRole('button', { name: 'Trier par « Membres »' }));
    await waitFor(() => expect(namesIn(table)).toStrictEqual(['Ancien client', 'Boulangerie Martin', 'Cabinet Durand']));
    await user.click(screen.getByRole('button', { name: 'Trier par « Tâches ouvertes »' }));
    await waitFor(() => expect(namesIn(table)[0]).toBe('Ancien client'));
    const sent = fake.inputsOf('orgs.list').map((i) => `${i.sort}${i.desc ? ' desc' : ''}`);
    expect(sent).toEqual(expect.arrayContaining(['members desc', 'members', 'openTasks desc']));
  });

  it('"Ouvrir" opens the dossier in this tab', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openPage(fake);
    await user.click(screen.getByRole('button', { name: 'Ouvrir Cabinet Durand' }));
    await waitFor(() => expect(screen.getByTestId('org-switcher')).toHaveTextContent('Cabinet Durand'));
    expect(fake.inputsOf('orgs.switch')).toStrictEqual([{ orgId: durand.id }]);
    expect(tabOrg()).toBe(durand.id);
  });

  it('warns of a dossier of the same name and creates it only when confirmed', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openPage(fake);
    await user.click(screen.getByRole('button', { name: 'Créer une organisation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Créer une organisation' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Nom' }), 'Cabinet Durand');
    await user.click(within(dialog).getByRole('button', { name: "Créer l'organisation" }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Un dossier « Cabinet Durand » existe déjà');
    expect(fake.inputsOf('orgs.create')).toHaveLength(1);
    await user.click(within(alert).getByRole('button', { name: 'Créer quand même' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.inputsOf('orgs.create').map((i) => i.confirmDuplicate)).toStrictEqual([false, true]);
  });

  it('warns of a dossier with the same SIRET before creating a second one', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openPage(fake);
    expect(screen.queryByRole('textbox', { name: /identifiant/i })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Créer une organisation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Créer une organisation' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Nom' }), 'Martin Boulangerie');
    await user.type(within(dialog).getByRole('textbox', { name: /SIRET/ }), '443 061 841 00047');
    await user.click(within(dialog).getByRole('button', { name: "Créer l'organisation" }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Un de vos dossiers a déjà le SIRET 443 061 841 00047');
    // Changing the SIRET takes the warning away: it was about the other one.
    await user.type(within(dialog).getByRole('textbox', { name: /SIRET/ }), '1');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    await user.type(within(dialog).getByRole('textbox', { name: /SIRET/ }), '{Backspace}');
    await user.click(within(dialog).getByRole('button', { name: "Créer l'organisation" }));
    await user.click(await within(dialog).findByRole('button', { name: 'Créer quand même' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(fake.inputsOf('orgs.create').map((i) => [i.siret, i.confirmDuplicate])).toStrictEqual([
      ['443 061 841 00047', false],
      ['443 061 841 00047', false],
      ['443 061 841 00047', true],
    ]);
  });
});
