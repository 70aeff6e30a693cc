/**
 * `enforce: onJoin` acts once per participant session across separate runs: the state keeps the
 * `moderated` bookkeeping between them (file and Redis state), so what a moderator changes by
 * hand afterwards stays, until the participant rejoins.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { liveKitEnv } from '../../harness/env.ts';
import { disconnectAll, disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { createWorkspace, type BackendKind, type Workspace } from '../plan-apply/workspace.ts';
import { byIdentity, doc, waitForParticipants, writeSpecs } from './helpers.ts';

afterAll(async () => {
  await disposeRtc();
});

describe.each<BackendKind>(['file', 'redis'])(
  'moderation enforce: onJoin (%s state)',
  (backend) => {
    let ws: Workspace | undefined;
    const lk = liveKitEnv();

    afterEach(async () => {
      await disconnectAll();
      await ws?.cleanup();
    });

    it('acts once per session across two applies; a hand change stays; a rejoin is acted on again', async () => {
      const w = await createWorkspace(backend);
      ws = w;
      const room = `${w.prefix}lobby`;
      await writeSpecs(w.dir, [
        doc('ModerationRule', 'lobby', {
          rooms: { names: [room] },
          enforce: 'onJoin',
          rules: [{ participants: { identity: ['*'] }, permissions: { canPublishData: false } }],
        }),
      ]);
      const address = `moderation.lobby.${room}.alice`;
      let alice = await joinParticipant(lk, { room, identity: 'alice' });

      const first = await w.cli(['apply', '--auto-approve']);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain(`${address}: done`);
      const acted = await waitForParticipants(
        room,
        (ps) => byIdentity(ps, 'alice')?.permission?.canPublishData === false,
      );
      const sid = byIdentity(acted, 'alice')?.sid;
      const state = w.state();
      const moderated = (await state.read().finally(() => state.close())).moderated ?? {};
      expect(moderated[address]).toMatchObject({ room, identity: 'alice', sid });

      // A moderator gives alice data publishing back by hand: the next run leaves it alone.
      const permission = byIdentity(acted, 'alice')?.permission;
      await w.rooms.updateParticipant(room, 'alice', {
        permission: { ...permission, canPublishData: true },
      });
      await waitForParticipants(
        room,
        (ps) => byIdentity(ps, 'alice')?.permission?.canPublishData === true,
      );
      const plan = await w.cli(['plan', '--detailed-exitcode']);
      expect(plan.code).toBe(0);
      expect(plan.stdout).not.toContain(address);
      const second = await w.cli(['apply', '--auto-approve']);
      expect(second.code).toBe(0);
      expect(second.stdout).not.toContain(address);
      const kept = await w.rooms.listParticipants(room);
      expect(byIdentity(kept, 'alice')?.permission?.canPublishData).toBe(true);

      // A new session (rejoin) is acted on once more.
      await alice.disconnect();
      await waitForParticipants(room, (ps) => !byIdentity(ps, 'alice'));
      alice = await joinParticipant(lk, { room, identity: 'alice' });
      const third = await w.cli(['apply', '--auto-approve']);
      expect(third.code).toBe(0);
      expect(third.stdout).toContain(`${address}: done`);
      const again = await waitForParticipants(
        room,
        (ps) => byIdentity(ps, 'alice')?.permission?.canPublishData === false,
      );
      expect(byIdentity(again, 'alice')?.sid).not.toBe(sid);
      await alice.disconnect();
    });
  },
);
