import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { SessionProvider } from '../../api/queries';
import type { RightsCatalog } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { RoleForm } from './RolesPage';

const catalog: RightsCatalog = {
  groups: [
    {
      key: 'members',
      name: { fr: 'Membres', en: 'Members' },
      rights: [{ name: 'members.view', label: { fr: 'Voir les membres', en: 'View members' }, description: { fr: 'Voir.', en: 'See.' } }],
    },
  ],
};

describe('Nouveau rôle', () => {
  it('brings a taken name to the eye and the keyboard, the button having seemed to do nothing', async () => {
    const user = userEvent.setup();
    const fake = fakeTransport({
      'rights.catalog': () => catalog,
      'roles.list': () => ({ roles: [] }),
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
    const name = within(dialog).getByLabelText(/Nom du rôle/);
    await user.type(name, 'Comptable');
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(dialog).findByText('Un rôle porte déjà ce nom.')).toBeInTheDocument();
    await waitFor(() => expect(name).toHaveFocus());
  });
});
