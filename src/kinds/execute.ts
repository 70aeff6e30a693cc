/**
 * Dispatches a planned change to its kind's executor. A new kind adds one entry here.
 */
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { ResourceChange } from '../core/plan.ts';
import { executeRoomChange, type StateEffect } from './room/apply.ts';

export type { StateEffect };

export type ChangeExecutor = (
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
) => Promise<StateEffect>;

const executors: Record<string, ChangeExecutor> = {
  Room: executeRoomChange,
};

export function executeChange(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<StateEffect> {
  const run = executors[change.kind];
  if (!run) throw new Error(`no executor for kind ${change.kind}`);
  return run(change, port, now);
}
