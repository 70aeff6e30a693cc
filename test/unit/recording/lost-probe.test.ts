import { describe, expect, it } from 'vitest';
import type { LiveKitPort } from '../../../src/adapters/livekit/port.ts';
import { LiveKitError } from '../../../src/core/errors.ts';
import type { LiveEgress } from '../../../src/core/live.ts';
import { findLostEgress } from '../../../src/kinds/recording-policy/probe.ts';
import { DEFAULT_RECORDING_OPTIONS } from '../../../src/kinds/recording-policy/options.ts';

const noServer = (): LiveKitError =>
  new LiveKitError('unavailable', 'updateStream', 'no response from servers', { status: 503 });
// A slow worker: the server gives up waiting for its answer (twirp deadline_exceeded).
const serverTimeout = (): LiveKitError =>
  new LiveKitError('timeout', 'updateStream', 'request timed out', { status: 408 });
// Our own client deadline.
const clientTimeout = (): LiveKitError =>
  new LiveKitError('timeout', 'updateStream', 'timed out', { status: 0 });

/** A port whose UpdateStream answers from a script (an Error is thrown, undefined succeeds). */
function scripted(answers: (LiveKitError | undefined)[]): {
  port: LiveKitPort;
  calls: () => number;
} {
  let calls = 0;
  const port = {
    updateStream: () => {
      const a = answers[calls++];
      return a ? Promise.reject(a) : Promise.resolve({});
    },
  } as unknown as LiveKitPort;
  return { port, calls: () => calls };
}

const NOW = 1_000_000_000;
const egress: LiveEgress = {
  egressId: 'EG_1',
  roomName: 'r',
  roomId: 'RM_1',
  status: 'active',
  source: 'roomComposite',
  startedAtMs: NOW - 10 * 60_000,
  endedAtMs: 0,
  updatedAtMs: NOW - 10 * 60_000,
  error: '',
  fileResults: [],
  streamResults: [],
};

describe('lost-egress probe', () => {
  it('the server saying nothing serves the egress counts as lost at once', async () => {
    const s = scripted([noServer()]);
    expect(await findLostEgress(s.port, [egress], NOW, DEFAULT_RECORDING_OPTIONS)).toEqual([
      'EG_1',
    ]);
    expect(s.calls()).toBe(1);
  });

  it('a timed-out probe of a slow but live worker is not lost: a second probe decides', async () => {
    for (const timeout of [serverTimeout, clientTimeout]) {
      const s = scripted([timeout(), undefined]);
      expect(await findLostEgress(s.port, [egress], NOW, DEFAULT_RECORDING_OPTIONS)).toEqual([]);
      expect(s.calls()).toBe(2);
    }
  });

  it('two timeouts in a row are still not lost (slow, not gone); a timeout then the server answer is', async () => {
    const slow = scripted([serverTimeout(), serverTimeout()]);
    expect(await findLostEgress(slow.port, [egress], NOW, DEFAULT_RECORDING_OPTIONS)).toEqual([]);
    const gone = scripted([serverTimeout(), noServer()]);
    expect(await findLostEgress(gone.port, [egress], NOW, DEFAULT_RECORDING_OPTIONS)).toEqual([
      'EG_1',
    ]);
  });
});
