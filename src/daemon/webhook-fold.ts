/**
 * Folding one verified webhook event: drop an id already folded, fold the event into its room's
 * status and enqueue the room's key. The file backend's intake folds at once; with the Redis
 * backend the leader folds what it reads from the stream (stream-folding.ts).
 */
import type { WebhookEventData } from '../adapters/livekit/index.ts';
import { foldEvent } from '../adapters/status/room-status.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { Notify } from '../adapters/notify/events.ts';
import type { SeenIds } from './seen-ids.ts';
import type { StatusFolds } from './status-folds.ts';

export interface WebhookFoldDeps {
  seen: SeenIds;
  status: StatusStore;
  now: () => Date;
  enqueueRoom: (room: string) => void;
  /** The kinds' folds of an event into their sections of the room's status (egress results, agents). */
  folds?: StatusFolds;
  /** Values scrubbed from what the kinds fold (egress errors and locations, ...). */
  secretValues?: () => readonly string[];
  /** The kinds' notices of an event (an ended recording of a policy) go to the sinks at once. */
  notify?: Notify;
  /** Called after each fold (the daemon persists seen ids lazily). */
  onFolded?: () => void;
  /**
   * False with the Redis stream: replicas de-duplicate at intake, and an entry delivered again
   * is one whose fold was never persisted, so it must be folded again (default true).
   */
  dedupe?: boolean;
}

/** The room an event is about (egress and ingress events name it in their info). */
export function eventRoom(ev: WebhookEventData): string | undefined {
  return ev.room?.name || ev.egress?.roomName || ev.ingress?.roomName || undefined;
}

/** Folds `ev` unless its id was folded before; says which. */
export function createWebhookFold(deps: WebhookFoldDeps) {
  return function fold(ev: WebhookEventData): 'folded' | 'duplicate' {
    if (deps.dedupe !== false && deps.seen.has(ev.id)) return 'duplicate';
    deps.seen.add(ev.id);
    const room = eventRoom(ev);
    if (room !== undefined) {
      const now = deps.now().toISOString();
      const secretValues = deps.secretValues?.() ?? [];
      deps.status.update(room, (s) => {
        foldEvent(s, ev, now);
        deps.folds?.foldEvent(s, ev, { now, secretValues });
      });
      // What the kinds notify at once (an ended recording of a policy, with its files).
      for (const notice of deps.folds?.notices(ev) ?? []) deps.notify?.(notice);
      deps.enqueueRoom(room);
    }
    deps.onFolded?.();
    return 'folded';
  };
}

export type WebhookFold = ReturnType<typeof createWebhookFold>;
