/**
 * Dispatches a planned change to its kind's executor (the registry's `execute`).
 */
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { ResourceChange } from '../core/plan.ts';
import type { StateDocument } from '../core/inventory.ts';
import { kindModule } from './index.ts';
import type { Env, Secrets } from '../spec/secrets.ts';
import type { StateEffect } from './kind.ts';

export type { StateEffect } from './kind.ts';

/** What a failed change does to the state (retry bookkeeping, for the kinds that keep it). */
export function recordChangeFailure(
  doc: StateDocument,
  change: ResourceChange,
  error: unknown,
  at: Date,
  env: Env,
): void {
  kindModule(change.kind)?.recordFailure?.(doc, change, error, at, env);
}

export function executeChange(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
  secrets: Secrets,
): Promise<StateEffect> {
  const run = kindModule(change.kind)?.execute;
  if (!run) throw new Error(`no executor for kind ${change.kind}`);
  return run(change, { port, now, secrets });
}
