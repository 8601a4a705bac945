import { describe, expect, it } from 'vitest';
import { passwords } from 'virtual:meter-dictionary';
import { loadStrength } from './strength';

// Real zxcvbn-ts with the dictionary the build ships (the meterDictionary() plugin).
describe('password strength', () => {
  it('ships only the 10,000 most common passwords', () => {
    expect(passwords).toHaveLength(10_000);
    expect(passwords.slice(0, 2)).toStrictEqual(['123456', 'password']);
    expect(passwords).not.toContain('dimazarya');
  });

  it('rates long passwords built on common words or keyboard rows as weak', async () => {
    const check = await loadStrength();
    for (const weak of ['password1234', 'qwertyuiop12', 'azertyuiop12']) {
      expect(check(weak, []), weak).toBeLessThanOrEqual(1);
    }
  });

  it('rates a long random-looking passphrase as strong', async () => {
    const check = await loadStrength();
    expect(check('tHx7-pLq2-zR9w-Kd4m', [])).toBeGreaterThanOrEqual(3);
  });

  it('no longer knows the rare tail of the full list', async () => {
    // Rank 49,226 of 49,233 in the full list, which scores it 0–1.
    const check = await loadStrength();
    expect(check('bhrh0h2oof6xbqjeh', [])).toBeGreaterThanOrEqual(3);
  });
});
