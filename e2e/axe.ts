import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/**
 * Runs axe-core on the page as it stands and fails on any serious or critical
 * violation, naming each with the elements it found (minor and moderate ones
 * are left to judgement). Every rule axe runs by default is on: WCAG 2.x A/AA
 * and its best practices. Waits first for running transitions to end, so a
 * dialog fading in is not judged half-transparent.
 */
export async function expectAccessible(page: Page, name: string) {
  await test.step(`accessible: ${name}`, async () => {
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n')}`);
    expect.soft(bad, `axe-core on "${name}"`).toEqual([]);
  });
}
