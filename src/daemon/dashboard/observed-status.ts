/**
 * The status store with change callbacks: every update and removal calls the listeners with the
 * room, a daemon-status change without one (after the change is applied), so the dashboard
 * pushes without polling the store.
 */
import type { StatusStore } from '../../adapters/status/status-store.ts';

export type StatusChangeListener = (room?: string) => void;

export interface ObservedStatusStore extends StatusStore {
  onChange: (listener: StatusChangeListener) => void;
}

export function observeStatusStore(store: StatusStore): ObservedStatusStore {
  const listeners: StatusChangeListener[] = [];
  const changed = (room?: string): void => {
    for (const l of listeners) l(room);
  };
  return {
    ...store,
    dir: store.dir,
    update(room, fn) {
      store.update(room, fn);
      changed(room);
    },
    remove(room) {
      store.remove(room);
      changed(room);
    },
    updateDaemon(fn) {
      store.updateDaemon(fn);
      changed();
    },
    onChange: (listener) => void listeners.push(listener),
  };
}
