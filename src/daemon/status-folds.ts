/**
 * The status writer's view of the registry: the kinds' folds of webhooks and reconciles, made
 * once per daemon, and which room a change belongs to. No kind is named here.
 */
import type { WebhookEventData } from '../adapters/livekit/webhook.ts';
import type { NotifyEvent } from '../adapters/notify/events.ts';
import type { RoomStatus } from '../adapters/status/room-status.ts';
import type { ResourceChange } from '../core/plan.ts';
import { KIND_MODULES, kindModule } from '../kinds/index.ts';
import type { ReconcileFoldInput } from '../kinds/kind.ts';

export interface StatusFolds {
  foldEvent(
    s: RoomStatus,
    ev: WebhookEventData,
    ctx: { now: string; secretValues: readonly string[] },
  ): void;
  foldReconcile(input: ReconcileFoldInput): void;
  notices(ev: WebhookEventData): NotifyEvent[];
}

export function createStatusFolds(): StatusFolds {
  const folds = KIND_MODULES.flatMap((m) => (m.status ? [m.status()] : []));
  return {
    foldEvent(s, ev, ctx) {
      for (const f of folds) f.foldEvent?.(s, ev, ctx);
    },
    foldReconcile(input) {
      for (const f of folds) f.foldReconcile?.(input);
    },
    notices: (ev) => folds.flatMap((f) => f.notices?.(ev) ?? []),
  };
}

/** The room whose status a change's outcome belongs to (its kind says; else its name). */
export function roomOfChange(change: ResourceChange): string {
  return kindModule(change.kind)?.roomOf?.(change) ?? change.name;
}
