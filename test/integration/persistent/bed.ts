/** What the Ingress/SIP integration files share: SDK clients, spec documents, cleanup by prefix. */
import { IngressClient, SipClient } from 'livekit-server-sdk';
import { liveKitEnv } from '../../harness/env.ts';
import type { Workspace } from '../plan-apply/workspace.ts';

export function persistentClients(): { ingress: IngressClient; sip: SipClient } {
  const lk = liveKitEnv();
  return {
    ingress: new IngressClient(lk.url, lk.apiKey, lk.apiSecret),
    sip: new SipClient(lk.url, lk.apiKey, lk.apiSecret),
  };
}

export function doc(kind: string, name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'livekit-gitops/v1', kind, metadata: { name }, spec });
}

/** Deletes this workspace's ingress and SIP objects (by name prefix), then the workspace. */
export async function cleanupPersistent(
  ws: Workspace,
  ingress: IngressClient,
  sip: SipClient,
): Promise<void> {
  const mine = async <T extends { name: string }>(list: Promise<T[]>): Promise<T[]> =>
    (await list).filter((x) => x.name.startsWith(ws.prefix));
  for (const i of await mine(ingress.listIngress())) await ingress.deleteIngress(i.ingressId);
  for (const r of await mine(sip.listSipDispatchRule()))
    await sip.deleteSipDispatchRule(r.sipDispatchRuleId);
  for (const t of await mine(sip.listSipInboundTrunk())) await sip.deleteSipTrunk(t.sipTrunkId);
  for (const t of await mine(sip.listSipOutboundTrunk())) await sip.deleteSipTrunk(t.sipTrunkId);
  await ws.cleanup();
}
