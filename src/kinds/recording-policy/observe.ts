/**
 * What recording decisions read from LiveKit: every active egress (all pages; per room when the
 * daemon reconciles a few rooms), the owned egresses that are no longer active (to tell FAILED from
 * COMPLETE), and which owned egresses have lost their worker.
 */
import { LiveKitError } from '../../core/errors.ts';
import type { StateDocument } from '../../core/inventory.ts';
import type { LiveEgress } from '../../core/live.ts';
import type { LiveKitPort } from '../../adapters/livekit/port.ts';
import { RECORDING_KIND } from './desired.ts';
import type { RecordingOptions } from './options.ts';
import { findLostEgress } from './probe.ts';
import { roomOfOwned, type RecordingObservation } from './settle.ts';

export async function observeRecording(
  port: LiveKitPort,
  opts: {
    scope?: ReadonlySet<string> | undefined;
    state?: StateDocument | undefined;
    now: Date;
    options: RecordingOptions;
  },
): Promise<RecordingObservation> {
  const { scope, state } = opts;
  const [active, counts] = await Promise.all([
    scope
      ? Promise.all([...scope].map((roomName) => port.listEgress({ roomName, active: true }))).then(
          (l) => l.flat(),
        )
      : port.listEgress({ active: true }),
    scope ? countParticipants(port, scope) : undefined,
  ]);
  if (!state)
    return counts ? { active, ended: [], lost: [], counts } : { active, ended: [], lost: [] };
  const activeById = new Map(active.map((e) => [e.egressId, e]));
  const mine: LiveEgress[] = [];
  const missing: string[] = [];
  for (const [address, o] of Object.entries(state.owned)) {
    if (o.kind !== RECORDING_KIND || !o.serverId) continue;
    if (scope && !scope.has(roomOfOwned(address, o.name))) continue;
    const e = activeById.get(o.serverId);
    if (e) mine.push(e);
    else missing.push(o.serverId);
  }
  const [ended, lost] = await Promise.all([
    Promise.all(missing.map((egressId) => lookup(port, egressId))).then((l) => l.flat()),
    findLostEgress(port, mine, opts.now.getTime(), opts.options),
  ]);
  return counts ? { active, ended, lost, counts } : { active, ended, lost };
}

/** Participants and publishers per scoped room, recorders (egress participants) left out. */
export async function countParticipants(
  port: LiveKitPort,
  scope: ReadonlySet<string>,
): Promise<Map<string, { participants: number; publishers: number }>> {
  const out = new Map<string, { participants: number; publishers: number }>();
  await Promise.all(
    [...scope].map(async (room) => {
      // A room that is gone (or going) keeps ListRooms' answer.
      const list = await port.listParticipants(room).catch(() => undefined);
      if (!list) return;
      const people = list.filter((p) => p.kind !== 'egress');
      out.set(room, {
        participants: people.length,
        publishers: people.filter((p) => p.isPublisher).length,
      });
    }),
  );
  return out;
}

async function lookup(port: LiveKitPort, egressId: string): Promise<LiveEgress[]> {
  try {
    return await port.listEgress({ egressId });
  } catch (err) {
    if (err instanceof LiveKitError && err.kind === 'not_found') return [];
    throw err;
  }
}
