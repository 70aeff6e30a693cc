/**
 * Executes recording changes: `start` resolves the policy's secrets into a StartEgressInput and
 * calls StartEgress once, with our own deadline (never retried: the pending marker written before
 * the call lets the next reconcile adopt an egress whose answer was lost); `stop` calls StopEgress,
 * and an egress that already ended or is gone counts as stopped.
 */
import { LiveKitError } from '../../core/errors.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { JsonValue, ResourceChange } from '../../core/plan.ts';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import type { Secrets } from '../../spec/secrets.ts';
import type { ExecuteContext, StateEffect } from '../kind.ts';
import { RECORDING_KIND } from './desired.ts';
import { recordingOptionsFromEnv, type RecordingOptions } from './options.ts';
import { buildStartInput } from './request.ts';
import { countFailure } from './settle.ts';

function text(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

export function createRecordingExecutor(
  secrets: Secrets,
  options: RecordingOptions = recordingOptionsFromEnv(secrets.env),
) {
  return async function executeRecordingChange(
    change: ResourceChange,
    port: LiveKitPort,
    now: () => Date,
  ): Promise<StateEffect> {
    const p = change.payload;
    if (change.action === 'start') {
      const room = text(p['room']);
      const request = (p['request'] ?? {}) as { [key: string]: JsonValue };
      const input = await buildStartInput(
        request,
        room,
        { secrets, baseDir: text(p['baseDir']) },
        port,
      );
      const egress = await port.startEgress(input, { timeoutMs: options.startTimeoutMs });
      return {
        own: {
          address: change.address,
          kind: RECORDING_KIND,
          name: change.name,
          serverId: egress.egressId,
          since: now().toISOString(),
        },
      };
    }
    if (change.action === 'stop') {
      try {
        await port.stopEgress(text(p['egressId']));
      } catch (err) {
        // 412: it already ended (or is ending); 404: purged. Either way it is stopped.
        if (!(
          err instanceof LiveKitError &&
          (err.kind === 'conflict' || err.kind === 'not_found')
        )) {
          throw err;
        }
      }
      return p['disown'] === false ? {} : { disown: change.address };
    }
    throw new Error(`a RecordingPolicy change cannot be "${change.action}"`);
  };
}

/** The executor the registry runs: secrets and knobs from the environment handed down. */
export function executeRecording(
  change: ResourceChange,
  ctx: ExecuteContext,
): Promise<StateEffect> {
  return createRecordingExecutor(ctx.secrets)(change, ctx.port, ctx.now);
}

/**
 * A start that failed: when the server answered (an HTTP status), nothing was started, so the
 * pending marker goes and the failure counts (backoff, cap). With no answer (our deadline, a
 * dropped connection) the marker stays: the next reconcile adopts the egress if one appears.
 */
export function recordRecordingFailure(
  doc: StateDocument,
  change: ResourceChange,
  error: unknown,
  now: Date,
  options: RecordingOptions,
): void {
  if (change.kind !== RECORDING_KIND || change.action !== 'start') return;
  if (
    error instanceof LiveKitError &&
    error.status === 0 &&
    (error.kind === 'timeout' || error.kind === 'unavailable')
  ) {
    return;
  }
  delete doc.pending[change.address];
  const message = error instanceof Error ? error.message : String(error);
  countFailure(
    doc,
    change.address,
    { policy: change.name, room: text(change.payload['room']) },
    message,
    now,
    options,
  );
}
