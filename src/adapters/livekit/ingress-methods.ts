/**
 * Ingress: list, create (never retried), update and delete. Creates and updates go one at a time:
 * livekit-server v1.13.5 stores an ingress in a Redis transaction that watches the one hash of all
 * ingress, gives up after 5 conflicts and still answers 200, so of 24 parallel creates only about 20
 * are kept (of 72, 32), while one at a time keeps every one.
 */
import type { IngressInput as ProtoIngressInput } from '@livekit/protocol';
import pLimit from 'p-limit';
import type { Caller } from './client-call.ts';
import { ingressInputNumber, toLiveIngress } from './convert.ts';
import type { LiveKitPort } from './port.ts';
import { ingressCreateOptions, ingressUpdateOptions } from './sip-ingress-request.ts';

export type IngressMethods = Pick<
  LiveKitPort,
  'listIngress' | 'createIngress' | 'updateIngress' | 'deleteIngress'
>;

export function ingressMethods({ call, deleting }: Caller): IngressMethods {
  const oneWrite = pLimit(1);
  return {
    async listIngress(filter = {}) {
      const items = await call('Ingress.ListIngress', 'retry', (c) =>
        c.ingress.listIngress({
          ...(filter.roomName !== undefined ? { roomName: filter.roomName } : {}),
          ...(filter.ingressId !== undefined ? { ingressId: filter.ingressId } : {}),
        }),
      );
      return items.map(toLiveIngress);
    },
    async createIngress(input) {
      const info = await oneWrite(() =>
        call('Ingress.CreateIngress', 'once', (c) =>
          c.ingress.createIngress(
            ingressInputNumber(input.inputType) as ProtoIngressInput,
            ingressCreateOptions(input),
          ),
        ),
      );
      return toLiveIngress(info);
    },
    async updateIngress(ingressId, input) {
      const info = await oneWrite(() =>
        call('Ingress.UpdateIngress', 'retry', (c) =>
          c.ingress.updateIngress(ingressId, ingressUpdateOptions(input)),
        ),
      );
      return toLiveIngress(info);
    },
    deleteIngress: (id) => deleting('Ingress.DeleteIngress', (c) => c.ingress.deleteIngress(id)),
  };
}
