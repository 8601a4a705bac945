import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from '@testing-library/react';

afterEach(() => {
  document.querySelectorAll('meta[property="csp-nonce"]').forEach((m) => m.remove());
});

describe('style nonce', () => {
  it('puts the nonce the server sent the page with on the style tags Mantine writes', async () => {
    const meta = document.createElement('meta');
    meta.setAttribute('property', 'csp-nonce');
    meta.nonce = 'n0nce-from-the-server';
    document.head.append(meta);
    vi.resetModules(); // the page's nonce is read once, when the console loads
    const { Providers } = await import('./App');

    render(
      <Providers env="test">
        <p>Atrium</p>
      </Providers>,
    );

    const tags = [...document.querySelectorAll<HTMLStyleElement>('style[data-mantine-styles]')];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag.nonce).toBe('n0nce-from-the-server');
    // and on the one a modal writes to lock the page's scroll
    const { getNonce } = await import('get-nonce');
    expect(getNonce()).toBe('n0nce-from-the-server');
  });

  it('is absent on the desktop, whose page has none', async () => {
    const { styleNonce } = await import('./App');
    expect(styleNonce()).toBeUndefined();
  });
});
