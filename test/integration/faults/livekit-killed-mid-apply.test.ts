/**
 * Fault row "livekit-server killed mid-apply, restarted, apply rerun": an apply of many rooms,
 * ingress and SIP trunks against a livekit-server of its own (its own Redis), the server SIGKILLed
 * once part of it exists, started again on the same Redis, and the apply run again. Counted on the
 * server: every declared object exists once.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { IngressClient, RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, makeWorkspace, roomYaml, runCli, spawnCli } from '../../harness/cli.ts';
import { startLiveKit, type LiveKitEnv } from '../../harness/livekit-server.ts';
import { doc } from '../persistent/bed.ts';
import { recordFigures } from './figures.ts';

const ROOMS = 150;
const INGRESS = 12;
const TRUNKS = 12;

let lk: LiveKitEnv;
let ws: string | undefined;

beforeAll(async () => {
  lk = await startLiveKit({});
});

afterAll(async () => {
  await lk?.stop();
  if (ws) await rm(ws, { recursive: true, force: true });
});

/** How many objects of each name the server holds (ingress and trunks have non-unique names). */
function countByName(names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of names) out.set(n, (out.get(n) ?? 0) + 1);
  return out;
}

describe('livekit-server killed mid-apply', () => {
  it(
    'converges on the rerun after a restart, with every object once',
    { timeout: 150_000 },
    async () => {
      const p = `k${randomBytes(3).toString('hex')}-`;
      const rooms = Array.from({ length: ROOMS }, (_, i) => `${p}room-${i}`);
      const ingress = Array.from({ length: INGRESS }, (_, i) => `${p}enc-${i}`);
      const trunks = Array.from({ length: TRUNKS }, (_, i) => `${p}in-${i}`);
      const files: Record<string, string> = {};
      for (const r of rooms) files[`specs/${r}.yaml`] = roomYaml(r, { emptyTimeout: 3600 });
      for (const [i, n] of ingress.entries()) {
        files[`specs/${n}.yaml`] = doc('Ingress', n, {
          inputType: 'rtmp',
          roomName: rooms[i]!,
          participantIdentity: `enc-${i}`,
        });
      }
      for (const [i, n] of trunks.entries()) {
        files[`specs/${n}.yaml`] = doc('SIPInboundTrunk', n, {
          numbers: [`+1555${String(1000 + i)}${randomBytes(2).readUInt16BE() % 1000}`],
          authUsername: 'lk',
          authPassword: { fromEnv: 'SIP_PW' },
        });
      }
      ws = await makeWorkspace(files);
      const env = {
        LIVEKIT_URL: lk.url,
        LIVEKIT_API_KEY: lk.apiKey,
        LIVEKIT_API_SECRET: lk.apiSecret,
        SIP_PW: `pw-${randomBytes(6).toString('hex')}`,
      };
      const roomClient = new RoomServiceClient(lk.url, lk.apiKey, lk.apiSecret);
      const ingressClient = new IngressClient(lk.url, lk.apiKey, lk.apiSecret);
      const sipClient = new SipClient(lk.url, lk.apiKey, lk.apiSecret);
      const census = async (): Promise<{
        rooms: string[];
        ingress: string[];
        trunks: string[];
      }> => ({
        rooms: (await roomClient.listRooms()).map((r) => r.name).filter((n) => n.startsWith(p)),
        ingress: (await ingressClient.listIngress())
          .map((i) => i.name)
          .filter((n) => n.startsWith(p)),
        trunks: (await sipClient.listSipInboundTrunk())
          .map((t) => t.name)
          .filter((n) => n.startsWith(p)),
      });

      // The apply, 8 calls at a time, cut once the first ingress or trunks exist: those are the
      // objects a retried create could make twice (room names are unique on the server).
      const child = spawnCli(['apply', 'specs', '--auto-approve', '--concurrency', '8'], {
        cwd: ws,
        env,
      });
      const first = collect(child, 90_000);
      const deadline = Date.now() + 60_000;
      let made = { rooms: [] as string[], ingress: [] as string[], trunks: [] as string[] };
      while (Date.now() < deadline) {
        made = await census();
        if (made.ingress.length + made.trunks.length >= 2) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const persistentMade = made.ingress.length + made.trunks.length;
      expect(persistentMade).toBeGreaterThanOrEqual(2);
      expect(persistentMade).toBeLessThan(INGRESS + TRUNKS);
      // Killed; down until the interrupted apply has given up on what was left, then started again
      // on the same Redis (its rooms, ingress and trunks are still there).
      await lk.kill();
      const killedAt = Date.now();
      const interrupted = await first;
      const gaveUpMs = Date.now() - killedAt;
      const restartedAt = Date.now();
      await lk.restart();
      const rerun = await runCli(['apply', 'specs', '--auto-approve'], {
        cwd: ws,
        env,
        timeoutMs: 90_000,
      });
      const convergedMs = Date.now() - restartedAt;
      expect(rerun.stderr).not.toContain(env.SIP_PW);
      expect(rerun.code).toBe(0);
      const plan = await runCli(['plan', 'specs', '--detailed-exitcode'], { cwd: ws, env });
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);

      const after = await census();
      const declared = [...rooms, ...ingress, ...trunks];
      const held = countByName([...after.rooms, ...after.ingress, ...after.trunks]);
      const lost = declared.filter((n) => !held.has(n));
      const duplicated = [...held.values()].reduce((sum, c) => sum + c - 1, 0);
      expect(lost).toEqual([]);
      expect([...held].filter(([, c]) => c > 1)).toEqual([]);
      expect(duplicated).toBe(0);
      expect(held.size).toBe(declared.length);

      await recordFigures('livekit-server killed mid-apply, restarted, apply rerun', {
        lost: lost.length,
        duplicated,
        convergedMs,
        note:
          `${ROOMS} rooms, ${INGRESS} ingress, ${TRUNKS} SIP trunks; killed with ${made.rooms.length} rooms ` +
          `and ${persistentMade} ingress/trunks made; the interrupted apply exited ${interrupted.code} after ${gaveUpMs} ms`,
      });
    },
  );
});
