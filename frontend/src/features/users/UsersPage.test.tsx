import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { SessionProvider } from '../../api/queries';
import type { MemberItem } from '../../api/types.gen';
import { fakeTransport, makeSession, type Handlers } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { UsersPage } from './UsersPage';

const claire: MemberItem = {
  id: 'm1',
  accountId: 'a1',
  firstName: 'Claire',
  lastName: 'Petit',
  email: 'claire.petit@example.fr',
  status: 'active',
  employeeRef: 'E-7',
  jobTitle: 'Comptable',
  roles: [],
};

const csv = '\ufeffPrénom;Nom;E-mail;Poste;Référence;Rôles;Statut\r\nClaire;Petit;claire.petit@example.fr;Comptable;E-7;;Actif\r\n';

function backend(overrides: Handlers = {}) {
  return fakeTransport({
    'members.list': () => ({ items: [claire], nextCursor: '', total: 1, totalCapped: false }),
    'roles.list': () => ({ roles: [] }),
    'invitations.list': () => ({ items: [] }),
    'members.export': () => ({ filename: 'membres-2025-03-31.csv', contentType: 'text/csv', content: csv, rows: 1 }),
    ...overrides,
  });
}

// What the browser was asked to save.
let saved: { name: string; blob: Blob }[] = [];

beforeEach(() => {
  saved = [];
  let last: Blob | null = null;
  URL.createObjectURL = vi.fn((b: Blob) => {
    last = b;
    return 'blob:members';
  }) as typeof URL.createObjectURL;
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ name: this.download, blob: last! });
  });
});

afterEach(() => vi.restoreAllMocks());

async function open(fake: ReturnType<typeof backend>) {
  await renderWithApp(
    <SessionProvider value={makeSession()}>
      <UsersPage />
    </SessionProvider>,
    fake.transport,
  );
  await screen.findByText('1 membre');
}

describe('Utilisateurs: export', () => {
  it('exports the members the filters shown match, as the file the backend wrote', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await open(fake);
    await user.type(screen.getByLabelText('Rechercher'), 'claire');
    await waitFor(() => expect(fake.inputsOf('members.list').some((i) => i.query === 'claire')).toBe(true));
    await user.click(screen.getByRole('button', { name: 'Exporter en CSV' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(fake.inputsOf('members.export')).toEqual([{ query: 'claire', status: '', roleId: '' }]);
    expect(saved[0].name).toBe('membres-2025-03-31.csv');
    // One byte order mark, not two: the backend's file is saved as it is.
    const bytes = new Uint8Array(await saved[0].blob.arrayBuffer());
    expect(Array.from(bytes.slice(0, 7))).toEqual([0xef, 0xbb, 0xbf, 0x50, 0x72, 0xc3, 0xa9]); // BOM, "Pré"
  });

  it('a refused export is one translated notification, and nothing is saved', async () => {
    const user = userEvent.setup();
    const fake = backend({
      'members.export': () => {
        throw new ApiError('forbidden', 'no');
      },
    });
    await open(fake);
    await user.click(screen.getByRole('button', { name: 'Exporter en CSV' }));
    expect(await screen.findByText("Vous n'avez pas les droits nécessaires pour cette action.")).toBeInTheDocument();
    expect(saved).toHaveLength(0);
  });
});

describe('Utilisateurs: the open record in the address', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('opens the member a link names, and closing takes it out of the address', async () => {
    window.location.hash = '#/users?member=m1';
    const fake = backend({ 'members.get': () => new Promise(() => {}) });
    await open(fake);
    await waitFor(() => expect(fake.inputsOf('members.get')).toEqual([{ memberId: 'm1' }]));
    const drawer = await screen.findByRole('dialog', { name: 'Fiche du membre' });
    await userEvent.click(drawer.querySelector('button.mantine-Drawer-close') as HTMLElement);
    await waitFor(() => expect(window.location.hash).toBe('#/users'));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Fiche du membre' })).not.toBeInTheDocument());
  });
});
