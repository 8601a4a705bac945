import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { SessionProvider } from '../../api/queries';
import type { MemberDetail, RightsCatalog } from '../../api/types.gen';
import { fakeTransport, makeSession, type Handlers } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { MemberDrawer } from './MemberDrawer';
import { RoleForm } from '../roles/RolesPage';

const catalog: RightsCatalog = {
  groups: [
    {
      key: 'commerce',
      name: { fr: 'Abonnement et commandes', en: 'Subscription and orders' },
      rights: [
        { name: 'invoices.view', label: { fr: 'Voir les factures', en: 'View invoices' }, description: { fr: 'Consulter les factures.', en: 'See invoices.' } },
        { name: 'orders.place', label: { fr: 'Passer des commandes', en: 'Place orders' }, description: { fr: 'Commander.', en: 'Order.' } },
      ],
    },
  ],
};

function detail(over: Partial<MemberDetail> = {}): MemberDetail {
  return {
    member: {
      id: 'm1',
      accountId: 'a1',
      firstName: 'Claire',
      lastName: 'Petit',
      email: 'claire.petit@example.fr',
      status: 'active',
      employeeRef: 'E-7',
      jobTitle: 'Comptable',
      roles: [{ id: 'r1', name: 'Comptable', isAdmin: false }],
    },
    isMe: false,
    nameEditable: true,
    active: true,
    directRights: ['orders.place'],
    effective: [
      { right: 'invoices.view', granted: true, byAdmin: false, roles: [{ id: 'r1', name: 'Comptable', isAdmin: false }], direct: false },
      { right: 'orders.place', granted: true, byAdmin: false, roles: [], direct: true },
    ],
    applications: [],
    ...over,
  };
}

function backend(overrides: Handlers = {}) {
  return fakeTransport({
    'members.get': () => detail(),
    'rights.catalog': () => catalog,
    'roles.list': () => ({ roles: [{ id: 'r1', name: 'Comptable', isAdmin: false, rights: ['invoices.view'], memberCount: 1, held: false }] }),
    'applications.list': () => ({ applications: [] }),
    'members.setRight': () => detail(),
    ...overrides,
  });
}

async function open(fake: ReturnType<typeof backend>, session = makeSession()) {
  await renderWithApp(
    <SessionProvider value={session}>
      <MemberDrawer memberId="m1" onClose={() => {}} />
    </SessionProvider>,
    fake.transport,
  );
  await screen.findByRole('heading', { name: 'Claire Petit' });
}

describe('Fiche du membre', () => {
  it('explains the effective rights: by role and individually', async () => {
    await open(backend());
    const region = screen.getByRole('region', { name: 'Ce que cette personne peut faire, et pourquoi' });
    expect(within(region).getByText(/par le rôle « Comptable »/)).toBeInTheDocument();
    expect(within(region).getByText(/accordé individuellement/)).toBeInTheDocument();
  });

  it('a direct-right switch saves that right at once', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await open(fake);
    const sw = (await screen.findAllByRole('switch', { name: /Voir les factures/ }))[0];
    expect(sw).not.toBeChecked();
    await user.click(sw);
    await waitFor(() => expect(fake.inputsOf('members.setRight')).toEqual([{ memberId: 'm1', right: 'invoices.view', granted: true }]));
    await user.click(screen.getAllByRole('switch', { name: /Passer des commandes/ })[0]);
    await waitFor(() => expect(fake.inputsOf('members.setRight')[1]).toEqual({ memberId: 'm1', right: 'orders.place', granted: false }));
  });

  it('shows the backend field error under the field', async () => {
    const user = userEvent.setup();
    const fake = backend({
      'members.update': () => {
        throw new ApiError('validation', 'invalid', { lastName: 'required' });
      },
    });
    await open(fake);
    const form = screen.getByRole('form', { name: 'Informations' });
    const last = within(form).getByLabelText(/^Nom/);
    await user.clear(last);
    await user.click(within(form).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(form).findByText('Ce champ est obligatoire.')).toBeInTheDocument();
    expect(fake.inputsOf('members.update')[0]).toEqual({ memberId: 'm1', lastName: '', base: { lastName: 'Petit' } });
  });

  it('sends only the fields changed, each with the value the form showed', async () => {
    const user = userEvent.setup();
    const fake = backend({ 'members.update': () => detail() });
    await open(fake);
    const form = screen.getByRole('form', { name: 'Informations' });
    await user.clear(within(form).getByLabelText(/Fonction/));
    await user.type(within(form).getByLabelText(/Fonction/), 'Comptable senior');
    await user.click(within(form).getByRole('button', { name: 'Enregistrer' }));
    await waitFor(() =>
      expect(fake.inputsOf('members.update')).toEqual([{ memberId: 'm1', jobTitle: 'Comptable senior', base: { jobTitle: 'Comptable' } }]),
    );
  });

  it('a field changed meanwhile shows both values; keeping mine sends it over the current one', async () => {
    const user = userEvent.setup();
    let first = true;
    const fake = backend({
      'members.update': () => {
        if (first) {
          first = false;
          throw new ApiError('conflict', 'changed', { jobTitle: 'changed_meanwhile' }, 0, [
            { field: 'jobTitle', mine: 'Assistante', theirs: 'Comptable senior' },
          ]);
        }
        return detail();
      },
    });
    await open(fake);
    const form = screen.getByRole('form', { name: 'Informations' });
    await user.clear(within(form).getByLabelText(/Fonction/));
    await user.type(within(form).getByLabelText(/Fonction/), 'Assistante');
    await user.click(within(form).getByRole('button', { name: 'Enregistrer' }));
    expect(
      await within(form).findByText("Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Comptable senior », la vôtre « Assistante ».", { exact: false }),
    ).toBeInTheDocument();
    expect(within(form).getByText("Quelqu'un a modifié ce champ entre-temps.")).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Garder la mienne' }));
    await waitFor(() => expect(fake.inputsOf('members.update')).toHaveLength(2));
    expect(fake.inputsOf('members.update')[1]).toEqual({ memberId: 'm1', jobTitle: 'Assistante', base: { jobTitle: 'Comptable senior' } });
    expect(await screen.findByText('Modifications enregistrées')).toBeInTheDocument();
    expect(within(form).queryByRole('button', { name: 'Garder la mienne' })).not.toBeInTheDocument();
  });

  it("keeping the current value puts it in the field and sends the other changes alone", async () => {
    const user = userEvent.setup();
    let first = true;
    const fake = backend({
      'members.update': () => {
        if (first) {
          first = false;
          throw new ApiError('conflict', 'changed', { jobTitle: 'changed_meanwhile' }, 0, [
            { field: 'jobTitle', mine: 'Assistante', theirs: 'Comptable senior' },
          ]);
        }
        return detail({ member: { ...detail().member, jobTitle: 'Comptable senior', employeeRef: 'E-8' } });
      },
    });
    await open(fake);
    const form = screen.getByRole('form', { name: 'Informations' });
    await user.clear(within(form).getByLabelText(/Fonction/));
    await user.type(within(form).getByLabelText(/Fonction/), 'Assistante');
    await user.clear(within(form).getByLabelText(/Matricule/));
    await user.type(within(form).getByLabelText(/Matricule/), 'E-8');
    await user.click(within(form).getByRole('button', { name: 'Enregistrer' }));
    await user.click(await within(form).findByRole('button', { name: "Garder l'actuelle" }));
    expect(within(form).getByLabelText(/Fonction/)).toHaveValue('Comptable senior');
    await waitFor(() => expect(fake.inputsOf('members.update')).toHaveLength(2));
    expect(fake.inputsOf('members.update')[1]).toEqual({ memberId: 'm1', employeeRef: 'E-8', base: { employeeRef: 'E-7' } });
  });

  it('disabling asks for confirmation, and the last-admin refusal is explained', async () => {
    const user = userEvent.setup();
    const fake = backend({
      'members.disable': () => {
        throw new ApiError('validation', 'invalid', { memberId: 'last_admin' });
      },
    });
    await open(fake);
    await user.click(screen.getByRole('button', { name: "Désactiver l'accès" }));
    const dialog = await screen.findByRole('dialog', { name: /Désactiver l'accès de Claire Petit/ });
    expect(fake.inputsOf('members.disable')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: "Désactiver l'accès" }));
    expect(await within(dialog).findByText(/dernier administrateur actif/)).toBeInTheDocument();
  });
});

describe('Ce que la fiche ne propose pas', () => {
  it('a rights editor cannot switch a right they do not hold', async () => {
    const fake = backend();
    await open(fake, makeSession({ isAdmin: false, rights: ['members.view', 'rights.edit', 'invoices.view'] }));
    expect((await screen.findAllByRole('switch', { name: /Voir les factures/ }))[0]).toBeEnabled();
    expect(screen.getAllByRole('switch', { name: /Passer des commandes/ })[0]).toBeDisabled();
  });

  it('nobody switches their own rights or roles', async () => {
    const fake = backend({ 'members.get': () => detail({ isMe: true }) });
    await open(fake);
    for (const sw of await screen.findAllByRole('switch')) expect(sw).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Enregistrer les rôles' })).not.toBeInTheDocument();
    expect(screen.getAllByText(/Vous ne pouvez pas modifier vos propres rôles ni vos propres droits/).length).toBeGreaterThan(0);
  });

  it('shows a name that belongs to another organization too as read-only, and does not send it', async () => {
    const user = userEvent.setup();
    const fake = backend({ 'members.get': () => detail({ nameEditable: false }), 'members.update': () => detail({ nameEditable: false }) });
    await open(fake);
    const form = screen.getByRole('form', { name: 'Informations' });
    expect(within(form).getByLabelText(/^Nom/)).toHaveAttribute('readonly');
    expect(within(form).getByText(/elle seule peut le modifier, car elle fait partie d'autres organisations/)).toBeInTheDocument();
    await user.clear(within(form).getByLabelText(/Fonction/));
    await user.type(within(form).getByLabelText(/Fonction/), 'Auditrice');
    await user.click(within(form).getByRole('button', { name: 'Enregistrer' }));
    await waitFor(() => expect(fake.inputsOf('members.update')).toEqual([{ memberId: 'm1', jobTitle: 'Auditrice', base: { jobTitle: 'Comptable' } }]));
  });

  it('explains a refused grant', async () => {
    const user = userEvent.setup();
    const fake = backend({
      'members.setRight': () => {
        throw new ApiError('forbidden', 'refused', { right: 'right_not_held' });
      },
    });
    await open(fake);
    await user.click((await screen.findAllByRole('switch', { name: /Voir les factures/ }))[0]);
    expect(await screen.findByText("Vous ne pouvez pas accorder ni retirer un droit que vous n'avez pas.")).toBeInTheDocument();
  });
});

describe('Rôle', () => {
  it('does not offer a right the member cannot give', async () => {
    await renderWithApp(
      <SessionProvider value={makeSession({ isAdmin: false, rights: ['rights.edit', 'invoices.view'] })}>
        <RoleForm role={null} onClose={() => {}} />
      </SessionProvider>,
      backend().transport,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Nouveau rôle' });
    expect(await within(dialog).findByRole('checkbox', { name: /Voir les factures/ })).toBeEnabled();
    expect(within(dialog).getByRole('checkbox', { name: /Passer des commandes/ })).toBeDisabled();
  });

  it('sends the ticked rights and shows a taken name under the field, focused', async () => {
    const user = userEvent.setup();
    const fake = backend({
      'roles.create': () => {
        throw new ApiError('validation', 'invalid', { name: 'name_taken' });
      },
    });
    await renderWithApp(
      <SessionProvider value={makeSession()}>
        <RoleForm role={null} onClose={() => {}} />
      </SessionProvider>,
      fake.transport,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Nouveau rôle' });
    await user.type(within(dialog).getByLabelText(/Nom du rôle/), 'Comptable');
    await user.click(await within(dialog).findByRole('checkbox', { name: /Voir les factures/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(dialog).findByText('Un rôle porte déjà ce nom.')).toBeInTheDocument();
    // Brought to the eye and the keyboard: in this long dialog the button would seem to do nothing.
    await waitFor(() => expect(within(dialog).getByLabelText(/Nom du rôle/)).toHaveFocus());
    expect(fake.inputsOf('roles.create')).toEqual([{ roleId: '', name: 'Comptable', rights: ['invoices.view'] }]);
  });

  it('an edit of a role carries the role as shown; a name changed meanwhile shows both, to keep mine', async () => {
    const user = userEvent.setup();
    let first = true;
    const fake = backend({
      'roles.update': (input) => {
        if (first) {
          first = false;
          throw new ApiError('conflict', 'changed', { name: 'changed_meanwhile' }, 0, [{ field: 'name', mine: 'Compta', theirs: 'Comptables' }]);
        }
        return { id: 'r1', name: input.name, isAdmin: false, rights: input.rights, memberCount: 1, held: false };
      },
    });
    await renderWithApp(
      <SessionProvider value={makeSession()}>
        <RoleForm role={{ id: 'r1', name: 'Comptable', isAdmin: false, rights: ['invoices.view'], memberCount: 1, held: false }} onClose={() => {}} />
      </SessionProvider>,
      fake.transport,
    );
    const dialog = await screen.findByRole('dialog');
    await user.clear(within(dialog).getByLabelText(/Nom du rôle/));
    await user.type(within(dialog).getByLabelText(/Nom du rôle/), 'Compta');
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(dialog).findByText("Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Comptables », la vôtre « Compta ».", { exact: false }))
      .toBeInTheDocument();
    expect(fake.inputsOf('roles.update')[0]).toEqual({
      roleId: 'r1', name: 'Compta', rights: ['invoices.view'], base: { name: 'Comptable', rights: ['invoices.view'] },
    });
    await user.click(within(dialog).getByRole('button', { name: 'Garder la mienne' }));
    await waitFor(() => expect(fake.inputsOf('roles.update')).toHaveLength(2));
    expect(fake.inputsOf('roles.update')[1]).toEqual({
      roleId: 'r1', name: 'Compta', rights: ['invoices.view'], base: { name: 'Comptables', rights: ['invoices.view'] },
    });
  });
});
