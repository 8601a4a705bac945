import { describe, expect, it } from 'vitest';
import { luminance, mergeMantineTheme, DEFAULT_THEME } from '@mantine/core';
import { readableColors, theme } from './theme';

const ratio = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};

describe('the theme reads at WCAG AA', () => {
  const t = mergeMantineTheme(DEFAULT_THEME, theme);
  const { light } = readableColors(t);
  const page = t.colors.gray[1];

  it('gives every palette white-on-filled, text and light-badge colours of 4.5:1 or more', () => {
    for (const [name, p] of Object.entries(t.colors)) {
      expect(ratio('#ffffff', light[`--mantine-color-${name}-filled`]), `${name} filled`).toBeGreaterThanOrEqual(4.5);
      expect(ratio(light[`--mantine-color-${name}-text`], page), `${name} text`).toBeGreaterThanOrEqual(4.5);
      // On the light badge and on its hovered background.
      for (const bg of [p[1], p[2]]) {
        expect(ratio(light[`--mantine-color-${name}-light-color`], bg), `${name} light`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('makes grey helper text, placeholders, links and errors readable', () => {
    expect(ratio(light['--mantine-color-dimmed'], page)).toBeGreaterThanOrEqual(4.5);
    expect(ratio(light['--mantine-color-placeholder'], '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(light['--mantine-color-anchor'], '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(ratio(light['--mantine-color-error'], '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps a colour that already reads as it is', () => {
    expect(light['--mantine-color-indigo-filled']).toBe(t.colors.indigo[7]);
    expect(light['--mantine-color-dark-filled']).toBe(t.colors.dark[6]);
  });
});
