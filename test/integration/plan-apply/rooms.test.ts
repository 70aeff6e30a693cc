import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disconnectAll, disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { createWorkspace, type BackendKind, type Workspace } from './workspace.ts';

afterAll(async () => {
  await disconnectAll();
  await disposeRtc();
});

describe.each<BackendKind>(['file', 'redis'])('plan and apply rooms (%s state)', (backend) => {
  let ws: Workspace;

  beforeEach(async () => {
    ws = await createWorkspace(backend);
  });

  afterEach(async () => {
    await disconnectAll();
    await ws.cleanup();
  });

  it('creates the declared rooms, and then plans nothing', async () => {
    await ws.writeRooms({
      lobby: { emptyTimeout: 3600, maxParticipants: 50, metadata: { topic: 'hi' } },
      stage: { departureTimeout: 120 },
    });

    const planned = await ws.cli(['plan', '--detailed-exitcode']);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain(`+ room.${ws.prefix}lobby`);
    expect(planned.stdout).toContain('Plan: 2 to create, 0 to update, 0 to delete, 0 other.');

    const applied = await ws.cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete! 2 created, 0 updated, 0 deleted, 0 other.');

    const live = await ws.liveRooms();
    expect(live.map((r) => r.name)).toEqual([`${ws.prefix}lobby`, `${ws.prefix}stage`]);
    expect(live[0]).toMatchObject({
      emptyTimeout: 3600,
      maxParticipants: 50,
      metadata: '{"topic":"hi"}',
    });
    expect(live[1]?.departureTimeout).toBe(120);

    const again = await ws.cli(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. LiveKit matches the specs.');
  });

  it('previews a schedule window with --at; outside its windows a room is not created', async () => {
    const window = { start: '0 9 * * 1', duration: '90m', timezone: 'Europe/Paris' };
    await ws.writeRooms({ weekly: { emptyTimeout: 3600, schedule: [window] } });

    // Monday 2026-11-30 09:30 in Paris is inside the window; Sunday is not.
    const inside = await ws.cli(['plan', '--detailed-exitcode', '--at', '2026-11-30T08:30:00Z']);
    const outside = await ws.cli(['plan', '--detailed-exitcode', '--at', '2026-11-29T08:30:00Z']);

    expect(inside.code).toBe(2);
    expect(inside.stdout).toContain(`+ room.${ws.prefix}weekly`);
    expect(inside.stdout).toContain('Schedules evaluated at 2026-11-30T08:30:00.000Z');
    expect(outside.code).toBe(0);
    expect(await ws.liveRooms()).toHaveLength(0);
  });

  it('corrects metadata drift in place, keeping the same room', async () => {
    await ws.writeRooms({ lobby: { emptyTimeout: 3600, metadata: 'declared' } });
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
    const [before] = await ws.liveRooms();
    await ws.rooms.updateRoomMetadata(`${ws.prefix}lobby`, 'changed by hand');

    const planned = await ws.cli(['plan', '--detailed-exitcode']);
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain(`~ room.${ws.prefix}lobby`);
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);

    const [after] = await ws.liveRooms();
    expect(after?.metadata).toBe('declared');
    expect(after?.sid).toBe(before?.sid);
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('holds back a replace while a real participant is in the room, and forces it when told', async () => {
    const name = `${ws.prefix}stage`;
    await ws.writeRooms({ stage: { emptyTimeout: 3600, maxParticipants: 10 } });
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
    const [original] = await ws.liveRooms();
    await joinParticipant(liveKitEnv(), { room: name, identity: 'speaker-1' });
    await waitFor(async () => (await ws.rooms.listParticipants(name)).length === 1);

    await ws.writeRooms({ stage: { emptyTimeout: 3600, maxParticipants: 20 } });
    const held = await ws.cli(['plan', '--detailed-exitcode']);
    expect(held.code, held.stdout).toBe(0);
    expect(held.stdout).toContain('Held back');
    expect(held.stdout).toContain(`room.${name}`);
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
    expect((await ws.liveRooms())[0]?.maxParticipants).toBe(10);

    await ws.writeRooms({
      stage: { emptyTimeout: 3600, maxParticipants: 20, lifecycle: { onOccupied: 'force' } },
    });
    const forced = await ws.cli(['plan', '--detailed-exitcode']);
    expect(forced.code).toBe(2);
    expect(forced.stdout).toContain(`-/+ room.${name}`);
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);

    const [replaced] = await ws.liveRooms();
    expect(replaced?.maxParticipants).toBe(20);
    expect(replaced?.sid).not.toBe(original?.sid);
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('prunes only rooms it owns: a room a client created stays', async () => {
    await ws.writeRooms({ keep: { emptyTimeout: 3600 }, drop: { emptyTimeout: 3600 } });
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
    await ws.rooms.createRoom({ name: `${ws.prefix}client-made`, emptyTimeout: 3600 });
    await ws.writeRooms({ keep: { emptyTimeout: 3600 } });

    const withoutPrune = await ws.cli(['plan', '--detailed-exitcode']);
    expect(withoutPrune.code).toBe(0);
    const pruned = await ws.cli(['apply', '--auto-approve', '--prune']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`room.${ws.prefix}drop: deleted`);

    const names = (await ws.liveRooms()).map((r) => r.name);
    expect(names).toEqual([`${ws.prefix}client-made`, `${ws.prefix}keep`]);
  });

  it('refuses more deletes than maxDeletes, and an empty spec set, unless forced', async () => {
    await ws.writeConfig({ maxDeletes: 1 });
    await ws.writeRooms({
      a: { emptyTimeout: 3600 },
      b: { emptyTimeout: 3600 },
      c: { emptyTimeout: 3600 },
    });
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);

    await ws.writeRooms({ a: { emptyTimeout: 3600 } });
    const tooMany = await ws.cli(['apply', '--auto-approve', '--prune']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/maxDeletes|more than 1/);
    expect(await ws.liveRooms()).toHaveLength(3);

    await ws.writeRooms({}, 'rooms/rooms.yaml');
    const empty = await ws.cli(['apply', '--auto-approve', '--prune']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/empty/i);
    expect(await ws.liveRooms()).toHaveLength(3);

    const forced = await ws.cli(['apply', '--auto-approve', '--prune', '--force']);
    expect(forced.code).toBe(0);
    expect(await ws.liveRooms()).toHaveLength(0);
  });

  it('refuses a saved plan once the live state or the specs changed (exit 3)', async () => {
    await ws.writeRooms({ lobby: { emptyTimeout: 3600, metadata: 'v1' } });
    expect((await ws.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    expect((await ws.cli(['apply', 'plan.json'])).code).toBe(0);
    expect((await ws.liveRooms()).map((r) => r.metadata)).toEqual(['v1']);

    await ws.writeRooms({ lobby: { emptyTimeout: 3600, metadata: 'v2' } });
    expect((await ws.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    await ws.rooms.updateRoomMetadata(`${ws.prefix}lobby`, 'someone else');
    const liveChanged = await ws.cli(['apply', 'plan.json']);
    expect(liveChanged.code).toBe(3);
    expect(liveChanged.stderr).toMatch(/stale/);

    expect((await ws.cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    await ws.writeRooms({ lobby: { emptyTimeout: 3600, metadata: 'v3' } });
    const specsChanged = await ws.cli(['apply', 'plan.json']);
    expect(specsChanged.code).toBe(3);
    expect((await ws.liveRooms()).map((r) => r.metadata)).toEqual(['someone else']);
  });

  it('exits 4 and names the holder while another run holds the lock', async () => {
    await ws.writeRooms({ lobby: { emptyTimeout: 3600 } });
    const backend = ws.state();
    const lock = await backend.acquireLock({ operation: 'apply', who: 'alice@ci' });
    try {
      // Explicit: with CI set, apply would wait for the lock by default.
      const blocked = await ws.cli(['apply', '--auto-approve', '--lock-timeout', '0s']);
      expect(blocked.code).toBe(4);
      expect(blocked.stderr).toContain('alice@ci');
      expect(blocked.stderr).toContain(lock.id);
      expect(await ws.liveRooms()).toHaveLength(0);
    } finally {
      await lock.release();
      await backend.close();
    }
    expect((await ws.cli(['apply', '--auto-approve'])).code).toBe(0);
  });

  it('converges after an apply is killed with SIGKILL halfway: no room lost or owned twice', async () => {
    const count = 150;
    const specs: Record<string, Record<string, unknown>> = {};
    for (let i = 0; i < count; i++)
      specs[`r${String(i).padStart(3, '0')}`] = { emptyTimeout: 3600 };
    await ws.writeRooms(specs);

    const { spawnCli, liveKitCliEnv } = await import('../../harness/cli.ts');
    // A short lock TTL (hidden flag) so the killed run's lock goes stale in seconds, not 15-20 s.
    const child = spawnCli(['apply', '--auto-approve', '--concurrency', '2', '--lock-ttl', '2s'], {
      cwd: ws.dir,
      env: liveKitCliEnv(liveKitEnv()),
    });
    let created = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('apply never got going')), 30_000);
      child.stdout?.on('data', (d: Buffer) => {
        created += (d.toString().match(/: created/g) ?? []).length;
        if (created >= 20) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('close', r));
    expect((await ws.liveRooms()).length).toBeLessThan(count);

    // The killed run's lock goes stale after its TTL (for the file lock, the stale period is the
    // waiting run's setting); the rerun waits for that, then converges.
    const rerun = await ws.cli([
      'apply',
      '--auto-approve',
      '--lock-timeout',
      '30s',
      '--lock-ttl',
      '2s',
    ]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await ws.cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    expect(await ws.liveRooms()).toHaveLength(count);

    const backend = ws.state();
    try {
      const state = await backend.read();
      const owned = Object.values(state.owned).filter((o) => o.name.startsWith(ws.prefix));
      expect(owned).toHaveLength(count);
      expect(Object.keys(state.pending)).toHaveLength(0);
      const live = await ws.liveRooms();
      const sids = new Map(live.map((r) => [r.name, r.sid]));
      for (const o of owned) expect(o.serverId).toBe(sids.get(o.name));
    } finally {
      await backend.close();
    }
  });
});

describe('plan output never carries secrets', () => {
  it('keeps fromEnv values and the API secret out of text, JSON and markdown plans', async () => {
    const ws = await createWorkspace('file');
    try {
      await ws.writeRooms({ lobby: { emptyTimeout: 3600 } });
      const { writeFiles } = await import('../../harness/cli.ts');
      await writeFiles(ws.dir, {
        'rooms/recording.yaml': JSON.stringify({
          apiVersion: 'livekit-gitops/v1',
          kind: 'RecordingPolicy',
          metadata: { name: 'rec' },
          spec: {
            rooms: { match: [`${ws.prefix}*`] },
            roomComposite: { layout: 'grid' },
            outputs: [
              {
                file: {
                  filepath: 'r/{room_name}.mp4',
                  s3: {
                    bucket: 'b',
                    accessKey: { fromEnv: 'REC_AK' },
                    secret: { fromEnv: 'REC_SK' },
                  },
                },
              },
            ],
          },
        }),
      });
      const secrets = { REC_AK: 'AKIA-very-secret-key', REC_SK: 'sk-very-secret-value' };
      for (const format of ['text', 'json', 'markdown']) {
        const out = await ws.cli(['plan', '--format', format], secrets);
        expect(out.code, out.stderr).toBe(0);
        const all = out.stdout + out.stderr;
        expect(all).not.toContain(secrets.REC_AK);
        expect(all).not.toContain(secrets.REC_SK);
        expect(all).not.toContain(liveKitEnv().apiSecret);
      }
    } finally {
      await ws.cleanup();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
