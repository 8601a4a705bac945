import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import type { HomeSummary } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';

const boulangerie = { id: 'org-boulangerie', name: 'Boulangerie Martin SARL', closed: false };
const garage = { id: 'org-garage', name: 'Garage Durand', closed: false };

function summary(over: Partial<HomeSummary> = {}): HomeSummary {
  return {
    dossiers: 2,
    tasks: [
      { id: 't1', title: 'Liasse fiscale', dueDate: '2030-06-08', dossier: garage, lateDays: 3 },
      { id: 't2', title: 'TVA de mai', dueDate: '2030-06-10', dossier: boulangerie, lateDays: 1 },
      { id: 't3', title: 'Bilan', dueDate: '2030-06-14', dossier: boulangerie, lateDays: 0 },
    ],
    tasksTotal: 3,
    responsible: [garage],
    waiting: [
      { dossier: boulangerie, pendingInvitations: 2, dueThisWeek: 1 },
      { dossier: { id: 'org-old', name: 'Ancien client', closed: true } },
    ],
    ...over,
  };
}

function boot(home: HomeSummary) {
  const in_ = (org: { id: string; name: string }) =>
    makeSession({ organization: { id: org.id, name: org.name, timezone: 'Europe/Paris', status: 'active' } });
  let session = in_(boulangerie);
  return fakeTransport({
    'setup.status': () => ({ needsSetup: false, version: '' }),
    'session.current': () => session,
    'home.summary': () => home,
    'orgs.switch': ({ orgId }) => (session = in_(orgId === garage.id ? garage : boulangerie)),
    'tasks.list': () => ({ items: [], total: 0 }),
    'tasks.assignees': () => ({ items: [], hidden: 0 }),
  });
}

describe('HomePage', () => {
  it('is where signing in lands: late tasks first, in red words, dated jj/mm/aaaa, each opening its dossier', async () => {
    window.location.hash = '#/';
    const fake = boot(summary());
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByRole('heading', { level: 1, name: 'Accueil' })).toBeInTheDocument();
    expect(await screen.findByText('Ce qui vous attend dans vos 2 dossiers.')).toBeInTheDocument();

    const tasks = within(screen.getByRole('region', { name: 'Mes tâches' }));
    const lines = tasks.getAllByRole('link');
    expect(lines.map((l) => l.textContent)).toEqual([
      expect.stringContaining('Liasse fiscale'),
      expect.stringContaining('TVA de mai'),
      expect.stringContaining('Bilan'),
    ]);
    expect(lines[0]).toHaveTextContent('En retard de 3 jours');
    expect(lines[0]).toHaveTextContent('À rendre le 08/06/2030');
    expect(lines[0]).toHaveTextContent('Garage Durand');
    expect(lines[1]).toHaveTextContent('En retard de 1 jour');
    expect(lines[2]).not.toHaveTextContent('En retard');
    expect(lines[0]).toHaveAttribute('href', '#/o/org-garage/tasks');

    const waiting = within(screen.getByRole('region', { name: 'Dossiers avec quelque chose en attente' }));
    expect(waiting.getByRole('link', { name: /Boulangerie Martin SARL/ })).toHaveTextContent('2 invitations en attente');
    expect(waiting.getByRole('link', { name: /Boulangerie Martin SARL/ })).toHaveTextContent('1 tâche à rendre cette semaine');
    expect(waiting.getByRole('link', { name: /Ancien client/ })).toHaveAttribute('href', '#/o/org-old/company');
    expect(within(screen.getByRole('region', { name: 'Dossiers dont je suis responsable' })).getByRole('link', { name: /Garage Durand/ }))
      .toHaveAttribute('href', '#/o/org-garage/company');

    // Following a line opens that dossier in this tab, under an address that names it.
    await userEvent.click(lines[0]);
    await waitFor(() => expect(fake.inputsOf('orgs.switch')).toEqual([{ orgId: 'org-garage' }]));
    expect(window.location.hash).toBe('#/o/org-garage/tasks');
    expect(await screen.findByRole('heading', { level: 1, name: 'Tâches' })).toBeInTheDocument();
  });

  it('draws the first lines of a long list and the others on request', async () => {
    window.location.hash = '#/';
    const dossiers = Array.from({ length: 14 }, (_, i) => ({ id: `org-${i}`, name: `Client ${i + 1}`, closed: false }));
    const tasks = Array.from({ length: 25 }, (_, i) => ({ id: `t${i}`, title: `Tâche ${i + 1}`, dueDate: '2030-06-08', dossier: garage, lateDays: 0 }));
    const fake = boot(summary({ dossiers: 14, tasks, tasksTotal: 25, waiting: dossiers.map((dossier) => ({ dossier, pendingInvitations: 1 })) }));
    await renderWithApp(<Boot />, fake.transport);
    const region = within(await screen.findByRole('region', { name: 'Mes tâches' }));
    expect(region.getAllByRole('link')).toHaveLength(20);
    await userEvent.click(region.getByRole('button', { name: 'Afficher les 5 autres lignes' }));
    expect(region.getAllByRole('link')).toHaveLength(25);
    expect(region.queryByRole('button', { name: /Afficher/ })).not.toBeInTheDocument();
    const waiting = within(screen.getByRole('region', { name: 'Dossiers avec quelque chose en attente' }));
    expect(waiting.getAllByRole('link')).toHaveLength(10);
    await userEvent.click(waiting.getByRole('button', { name: 'Afficher les 4 autres lignes' }));
    expect(waiting.getByRole('link', { name: /Client 14/ })).toBeInTheDocument();
  });

  it('says what comes next when nothing waits', async () => {
    window.location.hash = '#/home';
    const fake = boot(summary({ dossiers: 1, tasks: [], tasksTotal: 0, responsible: [], waiting: [] }));
    await renderWithApp(<Boot />, fake.transport);
    expect(await screen.findByText('Ce qui vous attend dans Boulangerie Martin SARL.')).toBeInTheDocument();
    expect(screen.getByText(/Aucune tâche ne vous est attribuée\. Quand on vous en confie une/)).toBeInTheDocument();
    expect(screen.getByText(/Rien n'attend dans vos dossiers/)).toBeInTheDocument();
    expect(screen.getByText(/Le responsable se choisit dans la fiche Entreprise/)).toBeInTheDocument();
  });
});
