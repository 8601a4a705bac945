import { describe, expect, it, beforeEach } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Boot } from '../shell/Boot';
import { ApiError } from '../../api/errors';
import { fakeTransport, makeAccount, makeSession, type Handlers } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import type { UpdateProfileInput } from '../../api/types.gen';

function backend(overrides: Handlers = {}) {
  let account = makeAccount();
  return fakeTransport({
    'setup.status': () => ({ needsSetup: false, version: 'test' }),
    'session.current': () => makeSession({ account }),
    'account.updateProfile': (input: UpdateProfileInput) => {
      account = { ...account, ...input };
      if (input.mobilePhone !== undefined) account.mobilePhoneNational = input.mobilePhone;
      return account;
    },
    'account.setLanguage': ({ language }: { language: string }) => {
      account = { ...account, language };
      return account;
    },
    ...overrides,
  });
}

async function openProfile(fake: ReturnType<typeof backend>) {
  await renderWithApp(<Boot />, fake.transport);
  await screen.findByRole('heading', { level: 1, name: 'Mon compte' });
}

const section = (name: string) => screen.getByRole('region', { name });

describe('Mon compte', () => {
  // Signing in lands on "Accueil": these tests open "Mon compte" by its address.
  beforeEach(() => {
    window.location.hash = '#/account';
  });
  it('shows a backend field error under "Téléphone mobile" and keeps what was typed', async () => {
    const user = userEvent.setup();
    const fake = backend({
      'account.updateProfile': () => {
        throw new ApiError('validation', 'phone: not a number', { mobilePhone: 'invalid_phone' });
      },
    });
    await openProfile(fake);

    const contact = section('Coordonnées');
    const phone = within(contact).getByLabelText('Téléphone mobile');
    await user.clear(phone);
    await user.type(phone, '12 34');
    await user.click(within(contact).getByRole('button', { name: 'Enregistrer' }));

    expect(await within(contact).findByText('Ce numéro de téléphone n\'est pas valide.')).toBeInTheDocument();
    expect(phone).toHaveValue('12 34');
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByText('phone: not a number')).not.toBeInTheDocument();
  });

  it('saving "Identité" sends exactly its own fields', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openProfile(fake);

    const identity = section('Identité');
    const firstName = within(identity).getByLabelText(/Prénom/);
    await user.clear(firstName);
    await user.type(firstName, 'Claire-Marie');
    // another section being edited must not leak into this save
    await user.type(within(section('Poste')).getByLabelText('Fonction'), ' adjointe');
    await user.click(within(identity).getByRole('button', { name: 'Enregistrer' }));

    await waitFor(() => expect(fake.inputsOf('account.updateProfile')).toHaveLength(1));
    expect(fake.inputsOf('account.updateProfile')[0]).toStrictEqual({
      title: 'mme',
      firstName: 'Claire-Marie',
      lastName: 'Martin',
    });
    expect(await screen.findByText('Modifications enregistrées')).toBeInTheDocument();
    // the other section is still dirty, with its value kept
    expect(within(section('Poste')).getByLabelText('Fonction')).toHaveValue('Responsable administrative adjointe');
    expect(within(section('Poste')).getByRole('button', { name: 'Enregistrer' })).toBeEnabled();
  });

  it('saving "Coordonnées" sends only the mobile phone', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openProfile(fake);

    const contact = section('Coordonnées');
    expect(within(contact).getByLabelText(/Adresse e-mail/)).toHaveAttribute('readonly');
    const phone = within(contact).getByLabelText('Téléphone mobile');
    expect(phone).toHaveValue('06 12 34 56 78');
    await user.clear(phone);
    await user.type(phone, '07 00 00 00 01');
    await user.click(within(contact).getByRole('button', { name: 'Enregistrer' }));

    await waitFor(() => expect(fake.inputsOf('account.updateProfile')).toHaveLength(1));
    expect(fake.inputsOf('account.updateProfile')[0]).toStrictEqual({ mobilePhone: '07 00 00 00 01' });
  });

  it('a section cannot be saved until it is changed', async () => {
    await openProfile(backend());
    expect(within(section('Identité')).getByRole('button', { name: 'Enregistrer' })).toBeDisabled();
  });

  it('switching the language calls setLanguage and the interface turns English', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await openProfile(fake);

    await user.click(within(section('Langue de l\'interface')).getByText('English'));

    await waitFor(() => expect(fake.inputsOf('account.setLanguage')).toStrictEqual([{ language: 'en' }]));
    expect(await screen.findByRole('heading', { level: 1, name: 'My account' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Contact details' })).toBeInTheDocument();
    expect(localStorage.getItem('atrium.language')).toBe('en');
  });
});
