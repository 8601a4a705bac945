import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Link, Route, Routes } from 'react-router-dom';
import { TextInput } from '@mantine/core';
import { fakeTransport } from '../test/fakeTransport';
import { renderWithApp } from '../test/render';
import { SectionCard } from './SectionCard';
import { UnsavedGuard } from './unsaved';

function Form() {
  const [v, setV] = useState('');
  return (
    <>
      <SectionCard title="Entreprise" onSubmit={(e) => e.preventDefault()} dirty={v !== ''}>
        <TextInput label="Raison sociale" value={v} onChange={(e) => setV(e.currentTarget.value)} />
      </SectionCard>
      <Link to="/tasks">Tâches</Link>
    </>
  );
}

/** The company page with its form, a link to the tasks, and the shell's guard. */
async function openCompanyPage() {
  window.location.hash = '#/company';
  await renderWithApp(
    <>
      <Routes>
        <Route path="/company" element={<Form />} />
        <Route path="/tasks" element={<p>Page des tâches</p>} />
      </Routes>
      <UnsavedGuard />
    </>,
    fakeTransport({}).transport,
  );
}

describe('unsaved changes', () => {
  it('asks before leaving a page whose form holds changes, and stays or leaves as told', async () => {
    await openCompanyPage();
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Raison sociale' }), 'Boulangerie Martin');
    await user.click(screen.getByRole('link', { name: 'Tâches' }));
    expect(await screen.findByRole('dialog', { name: 'Quitter sans enregistrer ?' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Rester sur la page' }));
    expect(screen.getByRole('textbox', { name: 'Raison sociale' })).toHaveValue('Boulangerie Martin');

    await user.click(screen.getByRole('link', { name: 'Tâches' }));
    await user.click(await screen.findByRole('button', { name: 'Quitter sans enregistrer' }));
    expect(await screen.findByText('Page des tâches')).toBeInTheDocument();
    window.location.hash = '';
  });

  it('lets a page without changes go at once', async () => {
    await openCompanyPage();
    await userEvent.click(screen.getByRole('link', { name: 'Tâches' }));
    expect(await screen.findByText('Page des tâches')).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Quitter sans enregistrer ?' })).not.toBeInTheDocument();
    window.location.hash = '';
  });
});
