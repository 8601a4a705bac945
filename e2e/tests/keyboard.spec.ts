import { expect, test, type Locator, type Page } from '@playwright/test';
import { seedMember } from '../journeys';
import { startServer, type AtriumServer } from '../server';

// The keyboard-only twins of the first journeys: first run, sign-in, invite a
// member, give a member a role and a role its rights. No mouse: Tab and
// Shift+Tab to move, Enter and Space to act, arrows in lists, Escape to
// close. Every place Tab lands shows where it is (a focus ring), and dialogs
// keep the focus inside them, then give it back to what opened them.

const admin = { first: 'Camille', last: 'Durand', email: 'camille.durand@example.test', password: 'Un jardin fleuri en avril' };
const claire = { first: 'Claire', last: 'Petit', email: 'claire.petit@example.test', password: 'Une rivière tranquille en été' };

let server: AtriumServer;
test.beforeAll(async () => {
  server = await startServer('keyboard');
});
test.afterAll(async () => {
  await server?.stop();
});

/** What has the focus, and whether it shows it: a ring of 2px or more on it or on the part drawn for it. */
function focusState(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    // Past the page's last element Tab goes to the browser's own controls.
    if (!el || el === document.body) return { ok: true, what: 'the browser' };
    const name = el.getAttribute('aria-label') || (el as HTMLInputElement).labels?.[0]?.textContent || el.textContent || '';
    const what = `${el.tagName.toLowerCase()} "${name.trim().slice(0, 40)}" ${el.className} outline ${getComputedStyle(el).outline}`;
    if (!el.matches(':focus-visible')) return { ok: false, what: `${what} (not :focus-visible)` };
    // A checkbox, radio or switch hides its input and rings the box drawn
    // beside it; a password field rings the box around its input.
    const drawn = [el, el.nextElementSibling, el.closest('.mantine-Input-input')];
    const ok = drawn.some((d) => {
      if (!d) return false;
      const s = getComputedStyle(d);
      return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
    });
    return { ok, what };
  });
}

/**
 * Presses Tab (Shift+Tab with back) until `target` has the focus, checking at
 * each stop that the focus is shown; fails past `max` presses.
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 60 } = {}) {
  await expect(target).toBeVisible();
  const unseen: string[] = [];
  for (let i = 0; i <= max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) {
      expect(unseen, 'every stop of the Tab key shows the focus').toEqual([]);
      return;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const state = await focusState(page);
    if (!state.ok) unseen.push(state.what);
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Tabs to a field and types into it. */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
}

/** Tab and Shift+Tab, 2 rounds past its end, never leave the dialog. */
async function expectFocusTrapped(page: Page, dialog: Locator) {
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(key);
      expect(await dialog.evaluate((d) => d.contains(document.activeElement)), `${key} stays in the dialog`).toBe(true);
    }
  }
}

async function expectFocused(l: Locator) {
  await expect.poll(() => l.evaluate((el) => el === document.activeElement), { message: `${l} has the focus` }).toBe(true);
}

test('first run, sign-out, sign-in, invite, roles and rights, with the keyboard alone', async ({ page }) => {
  test.setTimeout(150_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const nav = page.getByRole('navigation', { name: 'Menu principal' });

  // --- first run ---------------------------------------------------------------
  await page.goto(server.url);
  await expect(page.getByRole('heading', { name: 'Créer votre espace' })).toBeVisible();
  await typeInto(page, page.getByRole('textbox', { name: 'Prénom', exact: true }), admin.first);
  await typeInto(page, page.getByRole('textbox', { name: 'Nom', exact: true }), admin.last);
  await typeInto(page, page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }), admin.email);
  await typeInto(page, page.getByRole('textbox', { name: 'Mot de passe', exact: true }), admin.password);
  await typeInto(page, page.getByRole('textbox', { name: 'Nom de votre entreprise', exact: true }), 'Cabinet Durand');
  const zone = page.getByRole('combobox', { name: 'Fuseau horaire' });
  await tabTo(page, zone);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Brussels');
  await expect(page.getByRole('option', { name: 'Europe / Brussels' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(zone).toHaveValue('Europe / Brussels');
  await tabTo(page, page.getByRole('button', { name: 'Créer mon espace' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // --- sign out through the account menu, then sign in --------------------------
  const accountMenu = page.getByRole('button', { name: 'Menu de votre compte' });
  await tabTo(page, accountMenu);
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  // Escape closes the menu and the focus is back on its button.
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expectFocused(accountMenu);
  await page.keyboard.press('Space');
  await expect(menu).toBeVisible();
  for (let i = 0; i < 5 && !(await menu.getByRole('menuitem', { name: 'Se déconnecter' }).evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  // The address field has the focus already; a wrong password is said, then the right one.
  await expectFocused(page.getByRole('textbox', { name: 'Adresse e-mail' }));
  await page.keyboard.type(admin.email);
  await typeInto(page, page.getByRole('textbox', { name: 'Mot de passe' }), 'pas le bon mot de passe');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' })).toBeVisible();
  const password = page.getByRole('textbox', { name: 'Mot de passe' });
  await tabTo(page, password, { back: true });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(admin.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Accueil', level: 1 })).toBeVisible();

  // --- invite a member -----------------------------------------------------------
  await tabTo(page, nav.getByRole('link', { name: 'Utilisateurs' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Utilisateurs', level: 1 })).toBeVisible();
  const inviteButton = page.getByRole('button', { name: 'Inviter' });
  await tabTo(page, inviteButton);
  await page.keyboard.press('Enter');
  const invite = page.getByRole('dialog', { name: 'Inviter une personne' });
  await expect(invite).toBeVisible();
  await expectFocused(invite.getByRole('textbox', { name: 'Adresse e-mail' }));
  await expectFocusTrapped(page, invite);
  // Escape closes it without sending, and gives the focus back to "Inviter".
  await page.keyboard.press('Escape');
  await expect(invite).toBeHidden();
  await expectFocused(inviteButton);
  await page.keyboard.press('Space');
  await expect(invite).toBeVisible();
  await expectFocused(invite.getByRole('textbox', { name: 'Adresse e-mail' }));
  await page.keyboard.type('lea.roux@example.test');
  await typeInto(page, invite.getByRole('textbox', { name: 'Prénom' }), 'Léa');
  await typeInto(page, invite.getByRole('textbox', { name: 'Nom', exact: true }), 'Roux');
  await tabTo(page, invite.getByRole('button', { name: "Envoyer l'invitation" }));
  await page.keyboard.press('Enter');
  await expect(invite).toBeHidden();
  await expect(page.getByTestId('pending-invitation')).toContainText('Léa Roux');
  await expectFocused(inviteButton);

  // --- a role and its rights -------------------------------------------------------
  seedMember(server.db, { first: claire.first, last: claire.last, email: claire.email, password: claire.password });
  await tabTo(page, nav.getByRole('link', { name: 'Rôles' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Rôles', level: 1 })).toBeVisible();
  const newRole = page.getByRole('button', { name: 'Créer un rôle' });
  await tabTo(page, newRole);
  await page.keyboard.press('Enter');
  const roleForm = page.getByRole('dialog', { name: 'Nouveau rôle' });
  await expect(roleForm).toBeVisible();
  await expectFocused(roleForm.getByRole('textbox', { name: 'Nom du rôle' }));
  await page.keyboard.type('Comptable');
  const right = roleForm.getByRole('checkbox', { name: /Consulter la facturation/ });
  await tabTo(page, right);
  await page.keyboard.press('Space');
  await expect(right).toBeChecked();
  await expectFocusTrapped(page, roleForm);
  await tabTo(page, roleForm.getByRole('button', { name: 'Enregistrer' }));
  await page.keyboard.press('Enter');
  await expect(roleForm).toBeHidden();
  await expect(page.getByRole('region', { name: 'Comptable' })).toContainText('Consulter la facturation');
  await expectFocused(newRole);

  // --- give Claire the role from her record -----------------------------------------
  await tabTo(page, nav.getByRole('link', { name: 'Utilisateurs' }), { back: true });
  await page.keyboard.press('Enter');
  const row = page.getByRole('listitem', { name: 'Claire Petit' });
  await tabTo(page, row);
  await page.keyboard.press('Enter');
  const drawer = page.getByRole('dialog', { name: 'Fiche du membre' });
  await expect(drawer.getByRole('heading', { name: 'Claire Petit' })).toBeVisible();
  const roles = drawer.getByRole('combobox', { name: 'Rôles' });
  await tabTo(page, roles);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('option', { name: 'Comptable' })).toBeVisible();
  for (let i = 0; i < 5 && (await page.getByRole('option', { name: 'Comptable' }).getAttribute('data-combobox-selected')) === null; i++) {
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await expect(drawer.getByText('Comptable', { exact: true })).toBeVisible();
  const saveRoles = drawer.getByRole('button', { name: 'Enregistrer les rôles' });
  await tabTo(page, saveRoles);
  await page.keyboard.press('Enter');
  const why = drawer.getByRole('region', { name: 'Ce que cette personne peut faire, et pourquoi' });
  await expect(why).toContainText('Consulter la facturation — par le rôle « Comptable »');
  // A right of her own, beside the role's: Space turns its switch on.
  const direct = drawer.getByRole('switch', { name: /^Voir les membres/ });
  await tabTo(page, direct);
  await page.keyboard.press('Space');
  await expect(direct).toBeChecked();
  await expect(why).toContainText('Voir les membres');
  await expectFocusTrapped(page, drawer);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expectFocused(row);
  await expect(row).toContainText('Comptable');

  expect(pageErrors).toEqual([]);
});
