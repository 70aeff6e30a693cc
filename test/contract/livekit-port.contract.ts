/**
 * One behavioural contract for every LiveKitPort: the SDK adapter against a real livekit-server
 * and the in-memory fake. What it pins down is LiveKit's real behaviour, so the fake cannot drift.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKitPort } from '../../src/adapters/livekit/port.ts';
import { LiveKitError } from '../../src/core/errors.ts';
import type { LiveParticipant } from '../../src/core/live.ts';

export interface ContractSubject {
  port: LiveKitPort;
  /** A participant joins `room` (auto-creating it) and publishes a microphone track. */
  join(room: string, identity: string, attributes?: Record<string, string>): Promise<void>;
  /** The same implementation, for a server that runs without Redis. */
  withoutRedis(): Promise<LiveKitPort>;
  dispose?(): Promise<void>;
}

/** Waits (bounded) until `check` returns a value; LiveKit applies some changes asynchronously. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function rejection(p: Promise<unknown>): Promise<LiveKitError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(LiveKitError);
    return err as LiveKitError;
  }
  throw new Error('expected a rejection');
}

export function describeLiveKitPortContract(
  name: string,
  makeSubject: () => Promise<ContractSubject>,
): void {
  describe(`LiveKitPort contract: ${name}`, () => {
    let s: ContractSubject;
    let lk: LiveKitPort;
    const run = randomBytes(3).toString('hex');
    const room = (n: string): string => `contract-${run}-${n}`;

    beforeAll(async () => {
      s = await makeSubject();
      lk = s.port;
    });
    afterAll(async () => {
      const mine = (await lk.listRooms()).filter((r) => r.name.startsWith(`contract-${run}-`));
      for (const r of mine) await lk.deleteRoom(r.name);
      await s.dispose?.();
    });

    describe('rooms', () => {
      it('creates, lists and deletes a room', async () => {
        const name = room('crud');
        const created = await lk.createRoom({
          name,
          emptyTimeout: 600,
          departureTimeout: 30,
          maxParticipants: 5,
          metadata: '{"v":1}',
        });
        expect(created).toMatchObject({
          name,
          emptyTimeout: 600,
          departureTimeout: 30,
          maxParticipants: 5,
          metadata: '{"v":1}',
          numParticipants: 0,
        });
        expect(created.sid).toMatch(/^RM_/);
        expect(created.creationTimeMs).toBeGreaterThan(Date.UTC(2024, 0, 1));

        expect((await lk.listRooms([name])).map((r) => r.sid)).toEqual([created.sid]);
        expect((await lk.listRooms()).map((r) => r.name)).toContain(name);

        await lk.deleteRoom(name);
        expect(await lk.listRooms([name])).toEqual([]);
      });

      it('uses the server defaults (300 s / 20 s) for timeouts of 0', async () => {
        const r = await lk.createRoom({ name: room('defaults'), emptyTimeout: 0 });
        expect(r.emptyTimeout).toBe(300);
        expect(r.departureTimeout).toBe(20);
        expect(r.maxParticipants).toBe(0);
      });

      it('CreateRoom on an active room returns it unchanged', async () => {
        const name = room('again');
        const first = await lk.createRoom({ name, emptyTimeout: 600, metadata: 'first' });
        const second = await lk.createRoom({
          name,
          emptyTimeout: 30,
          maxParticipants: 2,
          metadata: 'second',
        });
        expect(second).toMatchObject({
          sid: first.sid,
          emptyTimeout: 600,
          maxParticipants: 0,
          metadata: 'first',
        });
      });

      it('updates metadata in place, verbatim (also to empty)', async () => {
        const name = room('meta');
        const r = await lk.createRoom({ name, metadata: 'a' });
        const updated = await lk.updateRoomMetadata(name, 'b');
        expect(updated).toMatchObject({ sid: r.sid, metadata: 'b' });
        expect((await lk.updateRoomMetadata(name, '')).metadata).toBe('');
        expect((await lk.listRooms([name]))[0]?.metadata).toBe('');
      });

      it('deleting a room that does not exist is fine', async () => {
        await expect(lk.deleteRoom(room('never-existed'))).resolves.toBeUndefined();
      });

      it('reports not_found for a missing room or participant', async () => {
        const missing = room('missing');
        const meta = await rejection(lk.updateRoomMetadata(missing, 'x'));
        expect(meta.kind).toBe('not_found');
        expect(meta.serverCode).toBe('not_found');
        expect(meta.message).toContain('room does not exist');

        const upd = await rejection(lk.updateParticipant(missing, 'ghost', { metadata: 'x' }));
        expect(upd.kind).toBe('not_found');

        const present = room('present');
        await lk.createRoom({ name: present });
        expect((await rejection(lk.removeParticipant(present, 'ghost'))).kind).toBe('not_found');
        expect((await rejection(lk.updateParticipant(present, 'ghost', { name: 'x' }))).kind).toBe(
          'not_found',
        );
        // Listing the participants of a room that does not exist is not an error: nobody is there.
        expect(await lk.listParticipants(missing)).toEqual([]);
      });
    });

    describe('participants', () => {
      const name = room('people');
      let alice: LiveParticipant;

      beforeAll(async () => {
        await lk.createRoom({ name, emptyTimeout: 600 });
        await s.join(name, 'alice', { role: 'host', team: 'blue' });
        alice = await eventually(async () => {
          const a = (await lk.listParticipants(name)).find((p) => p.identity === 'alice');
          return a && a.tracks.length > 0 ? a : undefined;
        }, 'alice and her track');
      });

      it('lists a joined participant with attributes and a microphone track', () => {
        expect(alice).toMatchObject({
          identity: 'alice',
          kind: 'standard',
          attributes: { role: 'host', team: 'blue' },
          isPublisher: true,
        });
        expect(alice.sid).toMatch(/^PA_/);
        expect(['joined', 'active']).toContain(alice.state);
        expect(alice.tracks).toEqual([
          expect.objectContaining({ type: 'audio', source: 'microphone', muted: false }),
        ]);
        expect(alice.permission?.canPublish).toBe(true);
      });

      it('mutes a published track', async () => {
        const sid = alice.tracks[0]?.sid ?? '';
        await lk.mutePublishedTrack(name, 'alice', sid, true);
        const track = await eventually(async () => {
          const a = (await lk.listParticipants(name)).find((p) => p.identity === 'alice');
          const t = a?.tracks.find((x) => x.sid === sid);
          return t?.muted ? t : undefined;
        }, 'the muted track');
        expect(track.muted).toBe(true);
      });

      it('updates metadata and attributes; an empty attribute value deletes it', async () => {
        const p = await lk.updateParticipant(name, 'alice', {
          metadata: 'm',
          attributes: { team: '', level: '3' },
        });
        expect(p.metadata).toBe('m');
        expect(p.attributes).toEqual({ role: 'host', level: '3' });
      });

      it('replaces permissions as a whole', async () => {
        const p = await lk.updateParticipant(name, 'alice', {
          permission: { canSubscribe: true, canPublish: false },
        });
        expect(p.permission).toMatchObject({
          canSubscribe: true,
          canPublish: false,
          canPublishData: false,
        });
      });

      it('removes a participant', async () => {
        await lk.removeParticipant(name, 'alice');
        await eventually(async () => {
          const ps = await lk.listParticipants(name);
          return ps.some((p) => p.identity === 'alice') ? undefined : true;
        }, 'alice to be gone');
      });
    });

    describe('egress, ingress and SIP (with Redis)', () => {
      it('lists no egress for a fresh room', async () => {
        const name = room('rec');
        await lk.createRoom({ name });
        expect(await lk.listEgress({ roomName: name })).toEqual([]);
        expect(await lk.listEgress({ roomName: name, active: true })).toEqual([]);
      });

      it('creates, lists, updates and deletes an RTMP ingress', async () => {
        const name = `ingress-${run}`;
        const created = await lk.createIngress({
          name,
          inputType: 'rtmp',
          roomName: room('stage'),
          participantIdentity: 'obs',
          participantName: 'OBS',
        });
        expect(created).toMatchObject({ name, inputType: 'rtmp', participantIdentity: 'obs' });
        expect(created.ingressId).toMatch(/^IN_/);
        expect(created.streamKey).not.toBe('');

        const listed = await lk.listIngress({ roomName: room('stage') });
        expect(listed.map((i) => i.ingressId)).toEqual([created.ingressId]);

        const updated = await lk.updateIngress(created.ingressId, {
          name,
          roomName: room('stage'),
          participantIdentity: 'obs',
          participantName: 'OBS 2',
        });
        expect(updated.participantName).toBe('OBS 2');

        await lk.deleteIngress(created.ingressId);
        expect((await lk.listIngress()).map((i) => i.ingressId)).not.toContain(created.ingressId);
        await expect(lk.deleteIngress(created.ingressId)).resolves.toBeUndefined();
      });

      it('creates, lists, replaces and deletes SIP trunks and a dispatch rule', async () => {
        const inbound = await lk.createSipInboundTrunk({
          name: `in-${run}`,
          numbers: ['+15550100'],
          authUsername: 'user',
          authPassword: 'pw',
          metadata: 'owned',
        });
        expect(inbound.sipTrunkId).toMatch(/^ST_/);
        expect(inbound).toMatchObject({ numbers: ['+15550100'], authUsername: 'user' });
        expect((await lk.listSipInboundTrunks()).map((t) => t.sipTrunkId)).toContain(
          inbound.sipTrunkId,
        );
        const replaced = await lk.updateSipInboundTrunk(inbound.sipTrunkId, {
          name: `in-${run}`,
          numbers: ['+15550101'],
        });
        expect(replaced).toMatchObject({ numbers: ['+15550101'], metadata: '', authUsername: '' });

        const outbound = await lk.createSipOutboundTrunk({
          name: `out-${run}`,
          address: 'sip.example.test',
          numbers: ['+15550200'],
          transport: 'tcp',
        });
        expect(outbound).toMatchObject({ address: 'sip.example.test', transport: 'tcp' });
        expect((await lk.listSipOutboundTrunks()).map((t) => t.sipTrunkId)).toContain(
          outbound.sipTrunkId,
        );

        const rule = await lk.createSipDispatchRule({
          name: `rule-${run}`,
          trunkIds: [inbound.sipTrunkId],
          rule: { type: 'individual', roomPrefix: 'call-', pin: '' },
        });
        expect(rule.sipDispatchRuleId).toMatch(/^SDR_/);
        expect(rule).toMatchObject({
          trunkIds: [inbound.sipTrunkId],
          rule: { type: 'individual', roomPrefix: 'call-' },
        });
        const rule2 = await lk.updateSipDispatchRule(rule.sipDispatchRuleId, {
          name: `rule-${run}`,
          trunkIds: [inbound.sipTrunkId],
          rule: { type: 'direct', roomName: room('calls'), pin: '' },
        });
        expect(rule2.rule).toEqual({ type: 'direct', roomName: room('calls'), pin: '' });

        await lk.deleteSipDispatchRule(rule.sipDispatchRuleId);
        await lk.deleteSipTrunk(inbound.sipTrunkId);
        await lk.deleteSipTrunk(outbound.sipTrunkId);
        expect((await lk.listSipDispatchRules()).map((r) => r.sipDispatchRuleId)).not.toContain(
          rule.sipDispatchRuleId,
        );
        expect((await lk.listSipInboundTrunks()).map((t) => t.sipTrunkId)).not.toContain(
          inbound.sipTrunkId,
        );
        await expect(lk.deleteSipTrunk(inbound.sipTrunkId)).resolves.toBeUndefined();
      });

      it('creates SIP objects and an ingress with every optional field and reads them back', async () => {
        const headers = {
          headers: { 'X-Org': 'a' },
          headersToAttributes: { 'X-Tier': 'tier' },
          attributesToHeaders: { ticket: 'X-Ticket' },
          includeHeaders: 'x-headers' as const,
          mediaEncryption: 'allow' as const,
        };
        const inbound = await lk.createSipInboundTrunk({
          name: `in-all-${run}`,
          numbers: ['+15550300'],
          ringingTimeoutMs: 30_000,
          maxCallDurationMs: 7_200_000,
          ...headers,
        });
        expect(inbound).toMatchObject({ ringingTimeoutMs: 30_000, maxCallDurationMs: 7_200_000 });
        expect(inbound).toMatchObject(headers);
        const outbound = await lk.createSipOutboundTrunk({
          name: `out-all-${run}`,
          address: 'sip.example.test',
          numbers: ['+15550400'],
          destinationCountry: 'US',
          fromHost: 'calls.example.test',
          ...headers,
        });
        expect(outbound).toMatchObject({
          destinationCountry: 'US',
          fromHost: 'calls.example.test',
        });
        expect(outbound).toMatchObject(headers);
        const rule = await lk.createSipDispatchRule({
          name: `rule-all-${run}`,
          trunkIds: [inbound.sipTrunkId],
          inboundNumbers: ['+15550500'],
          numbers: ['+15550300'],
          roomPreset: 'preset-a',
          krispEnabled: true,
          mediaEncryption: 'require',
          rule: { type: 'individual', roomPrefix: 'call-', pin: '', noRandomness: true },
        });
        expect(rule).toMatchObject({
          inboundNumbers: ['+15550500'],
          numbers: ['+15550300'],
          roomPreset: 'preset-a',
          krispEnabled: true,
          mediaEncryption: 'require',
          rule: { type: 'individual', roomPrefix: 'call-', noRandomness: true },
        });
        const listed = (await lk.listSipDispatchRules()).find(
          (r) => r.sipDispatchRuleId === rule.sipDispatchRuleId,
        );
        expect(listed?.mediaEncryption).toBe('require');
        const ing = await lk.createIngress({
          name: `ing-all-${run}`,
          inputType: 'rtmp',
          roomName: room('stage-all'),
          participantIdentity: 'obs',
          enableTranscoding: true,
          audioPreset: 'OPUS_MONO_64KBS',
          videoPreset: 'H264_540P_25FPS_2_LAYERS',
        });
        expect(ing).toMatchObject({
          audioPreset: 'OPUS_MONO_64KBS',
          videoPreset: 'H264_540P_25FPS_2_LAYERS',
        });

        await lk.deleteIngress(ing.ingressId);
        await lk.deleteSipDispatchRule(rule.sipDispatchRuleId);
        await lk.deleteSipTrunk(inbound.sipTrunkId);
        await lk.deleteSipTrunk(outbound.sipTrunkId);
      });
    });

    describe('without Redis', () => {
      it('answers egress, ingress and SIP with internal "... not connected (redis required)"', async () => {
        const bare = await s.withoutRedis();
        for (const [service, call] of [
          ['egress', () => bare.listEgress()],
          ['ingress', () => bare.listIngress()],
          ['sip', () => bare.listSipInboundTrunks()],
        ] as const) {
          const err = await rejection(call());
          expect(err.kind).toBe('internal');
          expect(err.status).toBe(500);
          expect(err.message).toContain(`${service} not connected (redis required)`);
        }
        // Rooms work without Redis.
        const name = room('bare');
        expect((await bare.createRoom({ name })).name).toBe(name);
        await bare.deleteRoom(name);
      });
    });
  });
}
