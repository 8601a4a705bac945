import { inDesktop } from './transports';

interface WailsRuntime {
  BrowserOpenURL(url: string): void;
}

/**
 * Opens an address outside Atrium: in the system's browser from the desktop
 * (its window opens no other page), in a new tab from the browser.
 */
export function openExternal(url: string): void {
  const runtime = (window as unknown as { runtime?: WailsRuntime }).runtime;
  if (inDesktop() && runtime) {
    runtime.BrowserOpenURL(url);
    return;
  }
  window.open(url, '_blank', 'noopener,noreferrer');
}
