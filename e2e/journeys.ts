import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Adds an active member with no role to the server's database (the benchmark seeder). */
export function seedMember(db: string, p: { first: string; last: string; email: string; password: string }) {
  execFileSync('go', ['run', './bench/members/cmd/seed', '--db', db, '--email', p.email, '--password', p.password, '--first', p.first, '--last', p.last],
    { cwd: repo, stdio: 'pipe' });
}

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  organization: string;
}

/**
 * Creates the workspace through the first-run screen, as the first step of a
 * journey (tests/first-run-journey.spec.ts checks that screen itself). The
 * time zone stays the screen's default unless one is searched for and picked.
 */
export async function createWorkspace(page: Page, url: string, p: Person, zone?: { search: string; option: string }) {
  await page.goto(url);
  await page.getByRole('textbox', { name: 'Prénom', exact: true }).fill(p.firstName);
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(p.lastName);
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(p.email);
  await page.getByRole('textbox', { name: 'Mot de passe', exact: true }).fill(p.password);
  await page.getByRole('textbox', { name: 'Nom de votre entreprise', exact: true }).fill(p.organization);
  if (zone) {
    const box = page.getByRole('combobox', { name: 'Fuseau horaire' });
    await box.click();
    await box.fill(zone.search);
    await page.getByRole('option', { name: zone.option }).click();
  }
  await page.getByRole('button', { name: 'Créer mon espace' }).click();
}

/**
 * Calls an operation as the console does, in the page's session (its cookie
 * and CSRF token); a refusal fails the test with the server's answer.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function op<T = any>(page: Page, name: string, input: unknown = {}): Promise<T> {
  return page.evaluate(
    async ([name, input]) => {
      const csrf = /(?:^|; )(?:__Host-)?atrium_csrf=([^;]*)/.exec(document.cookie)?.[1] ?? '';
      const res = await fetch(`/api/ops/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': decodeURIComponent(csrf) },
        body: JSON.stringify(input),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${name}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : {};
    },
    [name, input] as const,
  );
}
