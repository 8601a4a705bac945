import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { SessionProvider } from '../../api/queries';
import { fakeTransport, makeSession, type Handler } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import type { CompanyProfileView, OrgDetails } from '../../api/types.gen';
import { CompanyPage } from './CompanyPage';

const details: OrgDetails = {
  id: '0190a1b2-0000-7000-8000-000000000002', name: 'Boulangerie Martin', website: 'https://boulangerie.fr',
  timezone: 'Europe/Paris', status: 'active', closedAt: '',
};
const empty: CompanyProfileView = {
  legalName: '', siret: '', vat: '', address: '', postalCode: '', city: '', country: '',
  mobilePhone: '', companyPhone: '', mobilePhoneNational: '', companyPhoneNational: '',
};

function backend(update: Handler<'company.update'>, org: OrgDetails = details, orgUpdate?: Handler<'orgs.update'>) {
  return fakeTransport({
    'orgs.current': () => org,
    ...(orgUpdate ? { 'orgs.update': orgUpdate } : {}),
    'orgs.members': () => ({ items: [] }),
    'company.get': () => empty,
    'company.update': update,
  });
}

async function open(fake: ReturnType<typeof backend>, rights = ['org.edit']) {
  const session = makeSession({ rights, organization: { ...makeSession().organization, status: 'active' } });
  await renderWithApp(
    <SessionProvider value={session}>
      <CompanyPage />
    </SessionProvider>,
    fake.transport,
  );
  return screen.findByRole('region', { name: "Profil de l'entreprise" });
}

describe("Informations de l'organisation", () => {
  it('sends the card with what it showed; a name changed meanwhile shows both values', async () => {
    const user = userEvent.setup();
    const fake = backend(() => empty, details, () => {
      throw new ApiError('conflict', 'changed', { name: 'changed_meanwhile' }, 0, [
        { field: 'name', mine: 'Boulangerie Martin & fils', theirs: 'Boulangerie Martin SARL' },
      ]);
    });
    await open(fake);
    const name = await screen.findByRole('textbox', { name: /Nom de l'organisation/ });
    await user.clear(name);
    await user.type(name, 'Boulangerie Martin & fils');
    const card = name.closest('form') as HTMLElement;
    await user.click(within(card).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(card).findByText("Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Boulangerie Martin SARL », la vôtre « Boulangerie Martin & fils ».", { exact: false }))
      .toBeInTheDocument();
    expect(fake.inputsOf('orgs.update')[0]).toEqual({
      name: 'Boulangerie Martin & fils', website: 'https://boulangerie.fr', responsibleId: '',
      base: { name: 'Boulangerie Martin', website: 'https://boulangerie.fr', responsibleId: '' },
    });
  });
});

describe('Profil de l\'entreprise', () => {
  it('shows the backend field errors under their fields', async () => {
    const user = userEvent.setup();
    const fake = backend(() => {
      throw new ApiError('validation', 'invalid input', { siret: 'invalid_siret', vat: 'vat_siren_mismatch' });
    });
    const card = await open(fake);
    await user.type(within(card).getByLabelText('SIRET'), '732 829 320 00075');
    await user.type(within(card).getByLabelText('N° de TVA intracommunautaire'), 'FR44732829320');
    await user.click(within(card).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(card).findByText("Un numéro SIRET compte 14 chiffres (espaces acceptés).")).toBeInTheDocument();
    expect(within(card).getByText('Ce numéro de TVA ne correspond pas au SIREN du SIRET.')).toBeInTheDocument();
    expect(within(card).getByLabelText('SIRET')).toHaveAttribute('aria-invalid', 'true');
    expect(within(card).getByLabelText('SIRET')).toHaveValue('732 829 320 00075');
  });

  it('sends exactly the profile fields, with the profile it showed, and nothing of the information card', async () => {
    const user = userEvent.setup();
    const fake = backend(({ base: _, ...input }) => ({ ...empty, ...input, siret: '73282932000074' }));
    const card = await open(fake);
    await user.type(within(card).getByLabelText('Raison sociale'), 'Boulangerie Martin SARL');
    await user.type(within(card).getByLabelText('SIRET'), '732 829 320 00074');
    await user.click(within(card).getByRole('button', { name: 'Enregistrer' }));
    await screen.findByText('Modifications enregistrées');
    const sent = fake.inputsOf('company.update');
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0]).sort()).toEqual(
      ['address', 'base', 'city', 'companyPhone', 'country', 'legalName', 'mobilePhone', 'postalCode', 'siret', 'vat'],
    );
    expect(sent[0]).toMatchObject({ legalName: 'Boulangerie Martin SARL', siret: '732 829 320 00074', country: 'FR' });
    // The base is the profile as shown, the country not defaulted: the FR of the form is a change.
    expect(sent[0].base).toEqual({ legalName: '', siret: '', vat: '', address: '', postalCode: '', city: '', country: '', mobilePhone: '', companyPhone: '' });
    expect(fake.inputsOf('orgs.update')).toHaveLength(0);
    expect(within(card).getByLabelText('SIRET')).toHaveValue('73282932000074');
  });

  it('a field changed meanwhile shows both values; keeping the current one sends the rest again', async () => {
    const user = userEvent.setup();
    let first = true;
    const fake = backend(({ base: _, ...input }) => {
      if (first) {
        first = false;
        throw new ApiError('conflict', 'changed', { city: 'changed_meanwhile' }, 0, [{ field: 'city', mine: 'Lyon', theirs: 'Villeurbanne' }]);
      }
      return { ...empty, ...input };
    });
    const card = await open(fake);
    await user.type(within(card).getByLabelText('Raison sociale'), 'Boulangerie Martin SARL');
    await user.type(within(card).getByLabelText('Ville'), 'Lyon');
    await user.click(within(card).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(card).findByText("Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Villeurbanne », la vôtre « Lyon ».", { exact: false }))
      .toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: "Garder l'actuelle" }));
    await screen.findByText('Modifications enregistrées');
    const again = fake.inputsOf('company.update')[1];
    expect(again).toMatchObject({ legalName: 'Boulangerie Martin SARL', city: 'Villeurbanne' });
    expect(again.base).toMatchObject({ legalName: '', city: 'Villeurbanne' });
  });

  it('shows the timezone read-only with the reason, and no save button without the right', async () => {
    const fake = backend(() => empty);
    const card = await open(fake, []);
    expect(within(card).queryByRole('button', { name: 'Enregistrer' })).not.toBeInTheDocument();
    expect(screen.getByText('Europe / Paris')).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Fuseau horaire' })).not.toBeInTheDocument();
    expect(screen.getByText(/ne peut donc pas être modifié/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: "Fermer l'organisation" })).not.toBeInTheDocument();
  });
});
