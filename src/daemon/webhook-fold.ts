/**
 * Folding one verified webhook event: drop an id already folded, fold the event into its room's
 * status and enqueue the room's key. The file backend's intake folds at once; with the Redis
 * backend the leader folds what it reads from the stream (stream-folding.ts).
 */
import type { WebhookEventData } from '../adapters/livekit/index.ts';
import { foldEgress } from '../adapters/status/recording-status.ts';
import { foldEvent } from '../adapters/status/room-status.ts';
import type { StatusStore } from '../adapters/status/status-store.ts';
import type { LiveEgress } from '../core/live.ts';
import type { Notify } from '../adapters/notify/events.ts';
import { recordingEndedEvent } from './notify-events.ts';
import type { SeenIds } from './seen-ids.ts';

export interface WebhookFoldDeps {
  seen: SeenIds;
  status: StatusStore;
  now: () => Date;
  enqueueRoom: (room: string) => void;
  /** The policy an egress belongs to (egress_* events fold its results under that name). */
  egressPolicyOf?: (e: LiveEgress) => string | undefined;
  /** Values scrubbed from egress errors and locations. */
  secretValues?: () => readonly string[];
  /** An ended recording of a policy goes to the notification sinks at once, with its files. */
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
      const egress = ev.egress;
      const policy = egress ? deps.egressPolicyOf?.(egress) : undefined;
      deps.status.update(room, (s) => {
        foldEvent(s, ev, now);
        if (egress) foldEgress(s, egress, policy, deps.secretValues?.() ?? []);
      });
      if (egress && policy !== undefined && ev.event === 'egress_ended') {
        const ended = recordingEndedEvent(egress, policy);
        if (ended) deps.notify?.(ended);
      }
      deps.enqueueRoom(room);
    }
    deps.onFolded?.();
    return 'folded';
  };
}

export type WebhookFold = ReturnType<typeof createWebhookFold>;
