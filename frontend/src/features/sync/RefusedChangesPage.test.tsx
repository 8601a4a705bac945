import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import type { RefusedChange } from '../../api/types.gen';
import { fakeTransport } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { RefusedChangesPage } from './RefusedChangesPage';

const org = '0190a1b2-0000-7000-8000-0000000000aa';
const refused: RefusedChange = {
  id: '0190a1b2-0000-7000-8000-000000000101', op: 'tasks.create', orgId: org, input: { title: 'Relance client' },
  by: 'Anne Martin', madeAt: '2026-12-03T13:05:00Z', reason: { code: 'org_closed', message: 'closed' } as unknown as RefusedChange['reason'],
};
const invalid: RefusedChange = {
  ...refused, id: '0190a1b2-0000-7000-8000-000000000102', input: { title: '' },
  reason: { code: 'validation', message: '', fields: { title: 'required' } } as unknown as RefusedChange['reason'],
};

const conflict: RefusedChange = {
  ...refused, id: '0190a1b2-0000-7000-8000-000000000103', op: 'members.update',
  input: { memberId: '0190a1b2-0000-7000-8000-0000000000m1', jobTitle: 'Assistante', base: { jobTitle: 'Comptable' } },
  reason: {
    code: 'conflict', message: 'changed in the meantime', fields: { jobTitle: 'changed_meanwhile' },
    conflicts: [{ field: 'jobTitle', mine: 'Assistante', theirs: 'Comptable senior' }],
  } as unknown as RefusedChange['reason'],
};

function server(changes: RefusedChange[]) {
  return fakeTransport({
    'sync.refused': () => ({ changes }),
    'sync.status': () => ({ connected: true, state: 'online', server: '', email: '', waiting: 0, refused: changes.length, localDossiers: false }),
    'sync.retry': (i) => ({ id: i.id }),
    'sync.discard': (i) => ({ id: i.id }),
  });
}

describe('Modifications refusées', () => {
  it('says what was attempted, by whom, when and why, in plain words', async () => {
    await renderWithApp(<RefusedChangesPage />, server([refused]).transport);
    const row = await screen.findByTestId('refused-row');
    expect(within(row).getByText('Créer une tâche')).toBeInTheDocument();
    expect(within(row).getByText('« Relance client »')).toBeInTheDocument();
    expect(within(row).getByText('Anne Martin')).toBeInTheDocument();
    expect(within(row).getByText(/^03\/12\/2026 \d\d:05$/)).toBeInTheDocument();
    expect(within(row).getByText(/Cette organisation est fermée/)).toBeInTheDocument();
  });

  it('sends a corrected change again as a new one', async () => {
    const fake = server([invalid]);
    await renderWithApp(<RefusedChangesPage />, fake.transport);
    expect(await screen.findByText('Ce champ est obligatoire.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Modifier et réessayer' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: 'Relance client' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Renvoyer' }));
    expect(await screen.findByText('Modification renvoyée.')).toBeInTheDocument();
    expect(fake.inputsOf('sync.retry')).toEqual([{ id: invalid.id, input: { title: 'Relance client' } }]);
  });

  it('discards a change only once confirmed, in the organization it was made in', async () => {
    const fake = server([refused]);
    await renderWithApp(<RefusedChangesPage />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: 'Abandonner' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent("« Créer une tâche » ne sera jamais appliquée. L'abandon est inscrit dans l'historique");
    expect(fake.inputsOf('sync.discard')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Abandonner la modification' }));
    expect(await screen.findByText('Modification abandonnée.')).toBeInTheDocument();
    const call = fake.calls.find((c) => c.op === 'sync.discard');
    expect(call).toMatchObject({ input: { id: refused.id }, org });
  });

  it('shows both values of a field changed meanwhile; keeping mine sends it again over the value saved now', async () => {
    const fake = server([conflict]);
    await renderWithApp(<RefusedChangesPage />, fake.transport);
    const row = await screen.findByTestId('refused-row');
    expect(within(row).getByText('Modifier une personne')).toBeInTheDocument();
    expect(within(row).getByTestId('conflict')).toHaveTextContent(
      "fonction : Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Comptable senior », la vôtre « Assistante ».",
    );
    expect(within(row).queryByRole('button', { name: 'Modifier et réessayer' })).not.toBeInTheDocument();
    fireEvent.click(within(row).getByRole('button', { name: 'Garder la mienne' }));
    expect(await screen.findByText('Modification renvoyée.')).toBeInTheDocument();
    expect(fake.inputsOf('sync.retry')).toEqual([
      { id: conflict.id, input: { ...conflict.input as object, base: { jobTitle: 'Comptable senior' } } },
    ]);
  });

  it('keeping the other value discards the change, in the organization it was made in', async () => {
    const fake = server([conflict]);
    await renderWithApp(<RefusedChangesPage />, fake.transport);
    fireEvent.click(await screen.findByRole('button', { name: "Garder l'autre" }));
    expect(await screen.findByText('Modification abandonnée.')).toBeInTheDocument();
    expect(fake.calls.find((c) => c.op === 'sync.discard')).toMatchObject({ input: { id: conflict.id }, org });
    expect(fake.inputsOf('sync.retry')).toHaveLength(0);
  });

  it('says when nothing was refused', async () => {
    await renderWithApp(<RefusedChangesPage />, server([]).transport);
    expect(await screen.findByText('Aucune modification refusée.')).toBeInTheDocument();
  });

  it('names the people and writes the days of a conflict as the forms do', async () => {
    const task: RefusedChange = {
      ...refused, id: '0190a1b2-0000-7000-8000-000000000104', op: 'tasks.update',
      input: { id: 't1', assigneeId: 'acc-bruno', dueDate: '2026-12-24' },
      reason: {
        code: 'conflict', message: 'changed in the meantime', fields: {},
        conflicts: [{ field: 'assigneeId', mine: 'acc-bruno', theirs: 'acc-gone' }, { field: 'dueDate', mine: '2026-12-24', theirs: '' }],
      } as unknown as RefusedChange['reason'],
    };
    const fake = fakeTransport({
      'sync.refused': () => ({ changes: [task] }),
      'orgs.members': () => ({ items: [{ id: 'acc-bruno', name: 'Bruno Petit' }] }),
    });
    await renderWithApp(<RefusedChangesPage />, fake.transport);
    const lines = await screen.findAllByTestId('conflict');
    await within(lines[0]).findByText(/la vôtre « Bruno Petit »/);
    expect(lines[0]).toHaveTextContent('valeur actuelle « une autre personne »');
    expect(lines[1]).toHaveTextContent('valeur actuelle « vide », la vôtre « 24/12/2026 »');
    expect(fake.calls.find((c) => c.op === 'orgs.members')).toMatchObject({ org });
  });
});
