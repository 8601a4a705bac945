import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { SessionProvider } from '../../api/queries';
import type { ImportPlan } from '../../api/types.gen';
import { fakeTransport, makeSession, type Handlers } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { MemberImportDialog } from './MemberImport';

const mapping = { firstName: 0, lastName: 1, email: 2, jobTitle: 3, employeeRef: 4, roles: 5 };

function plan(over: Partial<ImportPlan> = {}): ImportPlan {
  return {
    encoding: 'windows-1252',
    delimiter: ';',
    headers: ['Prénom', 'Nom', 'E-mail', 'Poste', 'Référence', 'Rôles'],
    preview: [['Hélène', 'Dupré', 'helene.dupre@example.fr', 'Comptable', 'E-1', '']],
    mapping,
    lines: [
      { line: 2, action: 'create', email: 'helene.dupre@example.fr', name: 'Hélène Dupré', changes: [], code: '', reason: '' },
      { line: 3, action: 'refused', email: 'jean.dupont@', name: 'Jean Dupont', changes: [], code: 'invalid_email', reason: 'ligne 3 : adresse e-mail invalide « jean.dupont@ »' },
      { line: 4, action: 'update', email: 'claire.petit@example.fr', name: 'Claire Petit', changes: ['jobTitle', 'roles'], code: '', reason: '' },
    ],
    totals: { created: 1, updated: 1, unchanged: 0, refused: 1 },
    planHash: 'h1',
    missingRight: '',
    refused: { filename: 'lignes-refusees.csv', contentType: 'text/csv', content: '\ufeffMotif;Prénom\r\n', rows: 1 },
    ...over,
  };
}

// French Excel's bytes: "Prénom" in Windows-1252 (é is 0xE9).
const excel = new Uint8Array([0x50, 0x72, 0xe9, 0x6e, 0x6f, 0x6d, 0x0d, 0x0a]);

async function open(handlers: Handlers, bytes: Uint8Array<ArrayBuffer> = excel) {
  const fake = fakeTransport({ 'members.importCheck': () => plan(), 'members.import': () => ({ totals: plan().totals, mailWaits: false }), ...handlers });
  await renderWithApp(
    <SessionProvider value={makeSession()}>
      <MemberImportDialog onClose={() => {}} />
    </SessionProvider>,
    fake.transport,
  );
  const user = userEvent.setup();
  const dialog = await screen.findByRole('dialog', { name: 'Importer des membres' });
  await user.upload(dialog.querySelector('input[type=file]') as HTMLInputElement, new File([bytes], 'membres.csv', { type: 'text/csv' }));
  return { fake, user, dialog };
}

describe('Importer des membres', () => {
  it('sends the file as its bytes, shows the dry run in words, and imports the plan it showed', async () => {
    const { fake, user, dialog } = await open({});
    await within(dialog).findByText('ligne 3 : adresse e-mail invalide « jean.dupont@ »');
    // The bytes travel as they are: the backend reads the encoding.
    expect(atob(fake.inputsOf('members.importCheck')[0].content)).toBe(String.fromCharCode(...excel));
    expect(within(dialog).getByText(/Fichier lu en Windows-1252 \(Excel\)/)).toBeInTheDocument();
    expect(within(dialog).getByText('Hélène')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: 'Toutes' }));
    expect(within(dialog).getByText('Modifié : poste, rôles')).toBeInTheDocument();
    expect(within(dialog).getByText('Une invitation lui sera envoyée')).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Importer (2 lignes)' }));
    await waitFor(() => expect(fake.inputsOf('members.import')).toHaveLength(1));
    expect(fake.inputsOf('members.import')[0]).toMatchObject({ mapping, planHash: 'h1' });
  });

  it('a file that needs a right the member lacks is explained and cannot be imported', async () => {
    const { dialog } = await open({ 'members.importCheck': () => plan({ missingRight: 'rights.edit' }) });
    expect(await within(dialog).findByText(/demande le droit de modifier les droits/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Importer (2 lignes)' })).toBeDisabled();
  });

  it('a plan that changed since the dry run says so in words', async () => {
    const { user, dialog } = await open({
      'members.import': () => {
        throw new ApiError('validation', 'changed', { planHash: 'import_changed' });
      },
    });
    await user.click(await within(dialog).findByRole('button', { name: 'Importer (2 lignes)' }));
    expect(await within(dialog).findByText(/Le fichier ou les membres ont changé depuis la simulation/)).toBeInTheDocument();
  });

  it('a file over the limit is refused at once, in words, without sending it', async () => {
    const { fake, dialog } = await open({}, new Uint8Array(720 * 1024 + 1));
    expect(await within(dialog).findByText(/Ce fichier est trop grand \(720 Ko au plus\)/)).toBeInTheDocument();
    expect(fake.inputsOf('members.importCheck')).toHaveLength(0);
  });
});
