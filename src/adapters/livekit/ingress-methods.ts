/** Ingress: list, create (never retried), update and delete. */
import type { IngressInput as ProtoIngressInput } from '@livekit/protocol';
import type { Caller } from './client-call.ts';
import { ingressInputNumber, toLiveIngress } from './convert.ts';
import type { LiveKitPort } from './port.ts';
import { ingressCreateOptions, ingressUpdateOptions } from './sip-ingress-request.ts';

export type IngressMethods = Pick<
  LiveKitPort,
  'listIngress' | 'createIngress' | 'updateIngress' | 'deleteIngress'
>;

export function ingressMethods({ call, deleting }: Caller): IngressMethods {
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
      const info = await call('Ingress.CreateIngress', 'once', (c) =>
        c.ingress.createIngress(
          ingressInputNumber(input.inputType) as ProtoIngressInput,
          ingressCreateOptions(input),
        ),
      );
      return toLiveIngress(info);
    },
    async updateIngress(ingressId, input) {
      const info = await call('Ingress.UpdateIngress', 'retry', (c) =>
        c.ingress.updateIngress(ingressId, ingressUpdateOptions(input)),
      );
      return toLiveIngress(info);
    },
    deleteIngress: (id) => deleting('Ingress.DeleteIngress', (c) => c.ingress.deleteIngress(id)),
  };
}
