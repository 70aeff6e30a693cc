/**
 * Moderation test helpers: specs as YAML (JSON is YAML), a bounded poll of the server's view of a
 * room's participants, and the LiveKit SDK client of the shared server.
 */
import { RoomServiceClient } from 'livekit-server-sdk';
import type { ParticipantInfo } from '@livekit/protocol';
import { writeFiles } from '../../harness/cli.ts';
import { liveKitEnv } from '../../harness/env.ts';

export function roomService(): RoomServiceClient {
  const lk = liveKitEnv();
  return new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
}

export function doc(kind: string, name: string, spec: unknown, labels?: object): string {
  return JSON.stringify({
    apiVersion: 'livekit-gitops/v1',
    kind,
    metadata: labels ? { name, labels } : { name },
    spec,
  });
}

export async function writeSpecs(dir: string, docs: string[], file = 'rooms/moderation.yaml') {
  await writeFiles(dir, { [file]: docs.join('\n---\n') + '\n' });
}

/** Polls ListParticipants until `ok` holds (at most ~10 s); returns the last list either way. */
export async function waitForParticipants(
  room: string,
  ok: (ps: ParticipantInfo[]) => boolean,
): Promise<ParticipantInfo[]> {
  const svc = roomService();
  let last: ParticipantInfo[] = [];
  for (let i = 0; i < 100; i++) {
    last = await svc.listParticipants(room).catch(() => []);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

export function byIdentity(ps: ParticipantInfo[], identity: string): ParticipantInfo | undefined {
  return ps.find((p) => p.identity === identity);
}
