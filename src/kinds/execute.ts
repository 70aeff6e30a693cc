/**
 * Dispatches a planned change to its kind's executor. A new kind adds one entry here.
 */
import type { LiveKitPort } from '../adapters/livekit/port.ts';
import type { ResourceChange } from '../core/plan.ts';
import type { ModeratedSession, StateDocument } from '../core/inventory.ts';
import { executeModerationChange } from './moderation-rule/apply.ts';
import { executeRecordingChange, recordRecordingFailure } from './recording-policy/apply.ts';
import { executeRoomChange, type StateEffect as RoomStateEffect } from './room/apply.ts';
import { ingressKind } from './ingress/kind.ts';
import { persistentExecutor } from './sip-common/execute.ts';
import { sipDispatchKind } from './sip-dispatch-rule/kind.ts';
import { sipInboundKind } from './sip-inbound-trunk/kind.ts';
import { sipOutboundKind } from './sip-outbound-trunk/kind.ts';

/** What a finished change does to the state document. */
export interface StateEffect extends RoomStateEffect {
  /** `enforce: onJoin` bookkeeping, recorded under the change's address. */
  moderated?: ModeratedSession;
}

export type ChangeExecutor = (
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
) => Promise<StateEffect>;

const executors: Record<string, ChangeExecutor> = {
  Room: executeRoomChange,
  ModerationRule: executeModerationChange,
  RecordingPolicy: executeRecordingChange,
  Ingress: persistentExecutor(ingressKind),
  SIPInboundTrunk: persistentExecutor(sipInboundKind),
  SIPOutboundTrunk: persistentExecutor(sipOutboundKind),
  SIPDispatchRule: persistentExecutor(sipDispatchKind),
};

/** What a failed change does to the state (only recording starts record anything: retries). */
export function recordChangeFailure(
  doc: StateDocument,
  change: ResourceChange,
  error: unknown,
  at: Date,
): void {
  if (change.kind === 'RecordingPolicy') recordRecordingFailure(doc, change, error, at);
}

export function executeChange(
  change: ResourceChange,
  port: LiveKitPort,
  now: () => Date,
): Promise<StateEffect> {
  const run = executors[change.kind];
  if (!run) throw new Error(`no executor for kind ${change.kind}`);
  return run(change, port, now);
}
