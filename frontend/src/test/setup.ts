import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import { notifications } from '@mantine/notifications';
import { setTabOrg } from '../api/org';

// findBy*/waitFor wait up to 3 s, not 1: on a shared 2-core CI machine the
// first render of a page can take longer than a second.
configure({ asyncUtilTimeout: 3000 });

// jsdom lacks a few browser APIs Mantine relies on.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
window.HTMLElement.prototype.scrollIntoView ??= function () {};

afterEach(() => {
  cleanup();
  notifications.clean();
  localStorage.clear();
  setTabOrg('');
  sessionStorage.clear();
});
