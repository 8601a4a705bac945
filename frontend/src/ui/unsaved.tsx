import { useEffect, useSyncExternalStore } from 'react';
import { Button, Group, Modal, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router-dom';
import { desktopBinding } from '../api/transports';

// How many forms on screen hold changes not saved. Forms say so with
// useMarkUnsaved; the one UnsavedGuard of the shell asks before leaving.
let unsaved = 0;
const listeners = new Set<() => void>();
function change(delta: number) {
  unsaved += delta;
  listeners.forEach((l) => l());
  // The desktop asks before its window closes while a form holds changes.
  void desktopBinding()?.SetUnsaved?.(unsaved > 0);
}
function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** A form on screen holds changes not saved while dirty is true. */
export function useMarkUnsaved(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    change(1);
    return () => change(-1);
  }, [dirty]);
}

/**
 * Asks before leaving a page while a form on it holds changes not saved:
 * another page of the console (the menu, a link, Back), or reloading or
 * closing the browser tab. Rendered once, by the shell.
 */
export function UnsavedGuard() {
  const { t } = useTranslation();
  const count = useSyncExternalStore(subscribe, () => unsaved);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => count > 0 && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (count === 0) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [count]);

  return (
    <Modal opened={blocker.state === 'blocked'} onClose={() => blocker.reset?.()} title={t('unsaved.title')} centered>
      <Text size="sm">{t('unsaved.body')}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
          {t('unsaved.stay')}
        </Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>
          {t('unsaved.leave')}
        </Button>
      </Group>
    </Modal>
  );
}
