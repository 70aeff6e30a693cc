/** Egress: list (all pages), start (never retried), stop and stream updates. */
import type { EgressInfo } from 'livekit-server-sdk';
import type { LiveEgress } from '../../core/live.ts';
import type { Caller } from './client-call.ts';
import { toLiveEgress } from './convert.ts';
import { listEgressAllPages } from './egress-list.ts';
import { toEncodedOutputs, toEncoding } from './egress-request.ts';
import type { LiveKitPort, StartEgressInput } from './port.ts';

export type EgressMethods = Pick<
  LiveKitPort,
  'listEgress' | 'startEgress' | 'stopEgress' | 'updateStream'
>;

export interface EgressOptions {
  /** StartEgress's default timeout (see LiveKitAdapterOptions). */
  startEgressTimeoutMs: number;
}

export function egressMethods(caller: Caller, o: EgressOptions): EgressMethods {
  const { call, url, apiKey, apiSecret, defaultTimeoutMs } = caller;

  async function startEgress(input: StartEgressInput, timeoutMs: number): Promise<LiveEgress> {
    const op = 'Egress.StartEgress';
    const outputs = toEncodedOutputs(input.outputs, op);
    const encodingOptions = toEncoding(input.encoding);
    const enc = encodingOptions !== undefined ? { encodingOptions } : {};
    const s = input.source;
    // Never retried: a lost answer may still have started a recording. Callers re-list.
    const info = await call<EgressInfo>(
      op,
      'once',
      (c) => {
        switch (s.type) {
          case 'roomComposite':
            return c.egress.startRoomCompositeEgress(input.roomName, outputs, {
              ...enc,
              ...(s.layout !== undefined ? { layout: s.layout } : {}),
              ...(s.audioOnly !== undefined ? { audioOnly: s.audioOnly } : {}),
              ...(s.videoOnly !== undefined ? { videoOnly: s.videoOnly } : {}),
              ...(s.customBaseUrl !== undefined ? { customBaseUrl: s.customBaseUrl } : {}),
            });
          case 'participant':
            return c.egress.startParticipantEgress(input.roomName, s.identity, outputs, {
              ...enc,
              ...(s.screenShare !== undefined ? { screenShare: s.screenShare } : {}),
            });
          case 'trackComposite':
            return c.egress.startTrackCompositeEgress(input.roomName, outputs, {
              ...enc,
              ...(s.audioTrackId !== undefined ? { audioTrackId: s.audioTrackId } : {}),
              ...(s.videoTrackId !== undefined ? { videoTrackId: s.videoTrackId } : {}),
            });
          case 'web':
            return c.egress.startWebEgress(s.url, outputs, {
              ...enc,
              ...(s.audioOnly !== undefined ? { audioOnly: s.audioOnly } : {}),
              ...(s.videoOnly !== undefined ? { videoOnly: s.videoOnly } : {}),
              ...(s.awaitStartSignal !== undefined ? { awaitStartSignal: s.awaitStartSignal } : {}),
            });
        }
      },
      timeoutMs,
    );
    return toLiveEgress(info);
  }

  return {
    async listEgress(filter = {}) {
      const items = await call('Egress.ListEgress', 'retry', () =>
        listEgressAllPages({ url, apiKey, apiSecret }, filter, defaultTimeoutMs),
      );
      return items.map(toLiveEgress);
    },
    startEgress: (input, t) => startEgress(input, t?.timeoutMs ?? o.startEgressTimeoutMs),
    async stopEgress(egressId, t) {
      const info = await call(
        'Egress.StopEgress',
        'once',
        (c) => c.egress.stopEgress(egressId),
        t?.timeoutMs ?? defaultTimeoutMs,
      );
      return toLiveEgress(info);
    },
    async updateStream(egressId, add, remove, t) {
      const info = await call(
        'Egress.UpdateStream',
        'once',
        (c) => c.egress.updateStream(egressId, [...add], [...remove]),
        t?.timeoutMs ?? defaultTimeoutMs,
      );
      return toLiveEgress(info);
    },
  };
}
