/**
 * livekit-server v1.13.5 answers 200 to a CreateIngress it did not store when parallel creates
 * conflict on its Redis transaction; the adapter sends ingress writes one at a time, so parallel
 * callers still get every ingress stored.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/index.ts';
import { liveKitEnv } from '../../harness/env.ts';

const env = liveKitEnv();
const port = createLiveKitAdapter({ url: env.url, apiKey: env.apiKey, apiSecret: env.apiSecret });
const prefix = `par-${randomBytes(3).toString('hex')}-`;

afterAll(async () => {
  const mine = (await port.listIngress()).filter((i) => i.name.startsWith(prefix));
  for (const i of mine) await port.deleteIngress(i.ingressId);
});

describe('parallel ingress creates through the adapter', () => {
  it('stores every ingress the server answered for', async () => {
    const made = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        port.createIngress({
          name: `${prefix}${i}`,
          inputType: 'rtmp',
          roomName: `${prefix}room`,
          participantIdentity: `enc-${i}`,
        }),
      ),
    );

    const listed = new Set((await port.listIngress()).map((i) => i.ingressId));
    expect(made.filter((m) => !listed.has(m.ingressId))).toEqual([]);
    expect(made).toHaveLength(24);
  });
});
