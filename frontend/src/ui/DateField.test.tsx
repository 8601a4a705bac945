import { describe, expect, it } from 'vitest';
import { useState } from 'react';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeTransport } from '../test/fakeTransport';
import { renderWithApp } from '../test/render';
import { DateField, parseDay } from './DateField';

function Field({ initial = '', seen }: { initial?: string; seen: string[] }) {
  const [v, setV] = useState(initial);
  return (
    <DateField
      label="Échéance"
      value={v}
      onChange={(x) => {
        seen.push(x);
        setV(x);
      }}
    />
  );
}

describe('DateField', () => {
  it('reads the days people type, jj/mm/aaaa first', () => {
    expect(parseDay('15/10/2026')).toBe('2026-10-15');
    expect(parseDay('5/3/2026')).toBe('2026-03-05');
    expect(parseDay('05/03/26')).toBe('2026-03-05');
    expect(parseDay('2026-03-05')).toBe('2026-03-05');
    expect(parseDay('31/02/2026')).toBeNull();
    expect(parseDay('03/15/2026')).toBeNull(); // no month 15: never read the American way
    expect(parseDay('demain')).toBeNull();
  });

  it('shows and takes jj/mm/aaaa, and gives the backend YYYY-MM-DD', async () => {
    const seen: string[] = [];
    await renderWithApp(<Field initial="2026-10-15" seen={seen} />, fakeTransport({}).transport);
    const input = screen.getByRole('textbox', { name: 'Échéance' });
    expect(input).toHaveValue('15/10/2026');
    await userEvent.clear(input);
    await userEvent.type(input, '02/05/2030');
    await userEvent.tab();
    expect(seen.at(-1)).toBe('2030-05-02');
    expect(input).toHaveValue('02/05/2030');
  });
});
