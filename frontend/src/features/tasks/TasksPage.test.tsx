import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../api/errors';
import { SessionProvider } from '../../api/queries';
import type { Task, TaskInput } from '../../api/types.gen';
import { fakeTransport, makeSession } from '../../test/fakeTransport';
import { renderWithApp } from '../../test/render';
import { TasksPage } from './TasksPage';

const session = makeSession({ rights: ['tasks.view', 'tasks.manage'], isAdmin: false });
const me = { id: session.account.id, name: 'Claire Martin' };
const paul = { id: 'acc-paul', name: 'Paul Roux' };

function task(over: Partial<Task>): Task {
  return {
    id: 't', title: 'Tâche', dueDate: '', status: 'open', createdAt: '2030-01-01T09:00:00Z', completedAt: '',
    repeat: 'none', lateDays: 0, assigneeAccess: '', nextDueDate: '', creator: me, ...over,
  };
}

// The backend sorts by due date, those without one last: the page shows its order.
const tasks = [
  task({ id: 'a', title: 'Déclaration de TVA de mai', dueDate: '2030-06-08', lateDays: 3, repeat: 'monthly', assignee: me }),
  task({ id: 'b', title: 'Liasse fiscale', dueDate: '2030-06-20', repeat: 'yearly', assignee: { id: 'acc-sophie', name: 'Sophie Lambert' }, assigneeAccess: 'no_access' }),
  task({ id: 'c', title: 'Classer les factures', assignee: paul }),
];

function backend(create?: (input: TaskInput) => Task, update?: (input: TaskInput) => Task) {
  return fakeTransport({
    ...(update ? { 'tasks.update': update } : {}),
    'tasks.list': () => ({ items: tasks, total: tasks.length }),
    'tasks.assignees': () => ({ items: [me, paul], hidden: 2 }),
    'tasks.create': (input) => {
      if (create) return create(input);
      throw new ApiError('validation', 'invalid input', { assigneeId: 'cannot_see_tasks' });
    },
  });
}

async function open(fake: ReturnType<typeof backend>) {
  await renderWithApp(
    <SessionProvider value={session}>
      <TasksPage />
    </SessionProvider>,
    fake.transport,
  );
  return screen.findByRole('table', { name: 'Tâches' });
}

describe('Tâches', () => {
  it('lists by due date jj/mm/aaaa, late ones flagged, repeats and lost access said', async () => {
    const fake = backend();
    const table = await open(fake);
    const rows = (await within(table).findAllByRole('row')).slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual([
      expect.stringContaining('Déclaration de TVA de mai'),
      expect.stringContaining('Liasse fiscale'),
      expect.stringContaining('Classer les factures'),
    ]);
    expect(rows[0]).toHaveTextContent('08/06/2030');
    expect(within(rows[0]).getByLabelText('En retard de 3 jours')).toHaveTextContent('En retard');
    expect(rows[0]).toHaveTextContent('Se répète chaque mois');
    expect(rows[1]).toHaveTextContent('20/06/2030');
    expect(rows[1]).not.toHaveTextContent('En retard');
    expect(rows[1]).toHaveTextContent('Sophie Lambert');
    expect(rows[1]).toHaveTextContent('ne voit plus les tâches');
    expect(rows[2]).toHaveTextContent('—');
    // The first call asks for the open tasks of the whole dossier.
    expect(fake.inputsOf('tasks.list')[0]).toEqual({ status: 'open', assigneeId: '', offset: 0, limit: 25 });
  });

  it('filters "Mes tâches" and by status', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await open(fake);
    await user.click(screen.getByRole('radio', { name: 'Mes tâches' }));
    await waitFor(() => expect(fake.inputsOf('tasks.list').at(-1)).toEqual({ status: 'open', assigneeId: me.id, offset: 0, limit: 25 }));
    // "Mes tâches" replaces the choice of a person.
    expect(screen.queryByRole('textbox', { name: 'Attribuée à' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: 'Terminées' }));
    await waitFor(() => expect(fake.inputsOf('tasks.list').at(-1)).toEqual({ status: 'done', assigneeId: me.id, offset: 0, limit: 25 }));
    await user.click(screen.getByRole('radio', { name: 'Tout le dossier' }));
    await user.click(screen.getByRole('radio', { name: 'Toutes' }));
    await waitFor(() => expect(fake.inputsOf('tasks.list').at(-1)).toEqual({ status: '', assigneeId: '', offset: 0, limit: 25 }));
  });

  it('says why some members are missing from the picker, and the refusal of one who cannot see tasks', async () => {
    const user = userEvent.setup();
    const fake = backend();
    await open(fake);
    await user.click(screen.getByRole('button', { name: 'Nouvelle tâche' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nouvelle tâche' });
    expect(dialog).toHaveTextContent('Seuls les membres qui peuvent voir les tâches sont proposés : 2 autres membres ne les voient pas');
    await user.type(within(dialog).getByLabelText(/Intitulé/), 'Déclaration de TVA');
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(dialog).findByText(/Cette personne ne peut pas voir les tâches/)).toBeInTheDocument();
  });

  it('asks for a due date before a task can repeat, and sends the repetition', async () => {
    const user = userEvent.setup();
    const fake = backend((input) => task({ id: 'n', title: input.title, dueDate: input.dueDate, repeat: input.repeat }));
    await open(fake);
    await user.click(screen.getByRole('button', { name: 'Nouvelle tâche' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nouvelle tâche' });
    await user.type(within(dialog).getByLabelText(/Intitulé/), 'TVA');
    await user.click(within(dialog).getByLabelText('Répétition'));
    await user.click(await screen.findByRole('option', { name: 'Chaque mois' }));
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(dialog).findByText("Une tâche qui se répète a besoin d'une échéance.")).toBeInTheDocument();
    expect(fake.inputsOf('tasks.create')).toEqual([]);
    await user.type(within(dialog).getByLabelText(/Échéance/), '31/01/2031');
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    await waitFor(() => expect(fake.inputsOf('tasks.create')).toEqual([{ id: '', title: 'TVA', dueDate: '2031-01-31', assigneeId: '', repeat: 'monthly' }]));
  });

  it('an edit carries the task as shown; a title changed meanwhile shows both, to keep mine', async () => {
    const user = userEvent.setup();
    let first = true;
    const fake = backend(undefined, (input) => {
      if (first) {
        first = false;
        throw new ApiError('conflict', 'changed', { title: 'changed_meanwhile' }, 0, [
          { field: 'title', mine: 'Classer les factures de juin', theirs: 'Classer les factures de mai' },
        ]);
      }
      return task({ id: 'c', title: input.title, assignee: paul });
    });
    await open(fake);
    await user.click(screen.getByRole('button', { name: 'Modifier : Classer les factures' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/Intitulé/), ' de juin');
    await user.click(within(dialog).getByRole('button', { name: 'Enregistrer' }));
    expect(await within(dialog).findByText("Quelqu'un a modifié ce champ entre-temps : valeur actuelle « Classer les factures de mai », la vôtre « Classer les factures de juin ».", { exact: false }))
      .toBeInTheDocument();
    expect(fake.inputsOf('tasks.update')[0]).toMatchObject({
      id: 'c', title: 'Classer les factures de juin', assigneeId: paul.id,
      base: { title: 'Classer les factures', dueDate: '', assigneeId: paul.id, repeat: 'none' },
    });
    await user.click(within(dialog).getByRole('button', { name: 'Garder la mienne' }));
    await waitFor(() => expect(fake.inputsOf('tasks.update')).toHaveLength(2));
    expect(fake.inputsOf('tasks.update')[1]).toMatchObject({ title: 'Classer les factures de juin', base: { title: 'Classer les factures de mai', assigneeId: paul.id } });
  });
});
