import { describe, expect, it } from 'vitest';
import { conflictsOf, toApiError } from './errors';

describe('toApiError', () => {
  it('keeps the conflicts of an edit refused field by field, from either door', () => {
    const body = {
      code: 'conflict', message: 'changed in the meantime', fields: { jobTitle: 'changed_meanwhile' },
      conflicts: [{ field: 'jobTitle', mine: 'Assistante', theirs: 'Comptable senior' }, { field: 'x', mine: 1 }],
    };
    for (const raw of [body, JSON.stringify(body)]) {
      const err = toApiError(raw);
      expect(err.code).toBe('conflict');
      expect(err.fields).toEqual({ jobTitle: 'changed_meanwhile' });
      expect(err.conflicts).toEqual([{ field: 'jobTitle', mine: 'Assistante', theirs: 'Comptable senior' }]);
    }
    expect(toApiError({ code: 'validation' }).conflicts).toEqual([]);
    expect(conflictsOf(null)).toEqual([]);
  });
});
