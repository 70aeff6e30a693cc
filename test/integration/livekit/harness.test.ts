import { describe, expect, it } from 'vitest';
import { createLiveKitAdapter } from '../../../src/adapters/livekit/index.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { startLiveKit } from '../../harness/livekit-server.ts';

describe('livekit-server harness', () => {
  it('provides the shared server with a generated key and secret', () => {
    const env = liveKitEnv();
    expect(env.version).toBe('1.13.5');
    expect(env.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(env.apiKey).not.toBe('devkey');
    expect(env.apiSecret).not.toBe('secret');
    expect(env.apiSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('restarts on the same port and config, and stop() really stops it', async () => {
    const lk = await startLiveKit();
    try {
      const port = createLiveKitAdapter({ ...lk, retry: false });
      await port.createRoom({ name: 'before-restart', emptyTimeout: 600 });
      const url = lk.url;
      await lk.restart();
      expect(lk.url).toBe(url);
      expect((await fetch(lk.url)).status).toBe(200);
      // Same key, secret and Redis: the API answers again. (Rooms hosted by the stopped node do
      // not survive it: livekit-server closes them on shutdown.)
      await port.createRoom({ name: 'after-restart' });
      expect((await port.listRooms()).map((r) => r.name)).toContain('after-restart');
      expect(lk.log()).toContain('starting LiveKit server');
    } finally {
      await lk.stop();
    }
    await expect(fetch(lk.url)).rejects.toThrow();
  });
});
