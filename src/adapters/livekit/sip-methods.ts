/**
 * SIP trunks and dispatch rules. Creates are never retried; the SDK's create drops some fields, so
 * a create that needs them is followed by the whole-object update (see sip-ingress-request.ts).
 */
import type { Caller } from './client-call.ts';
import { toLiveSipDispatchRule, toLiveSipInboundTrunk, toLiveSipOutboundTrunk } from './convert.ts';
import type { LiveKitPort } from './port.ts';
import {
  dispatchRuleInfo,
  inboundNeedsFollowUp,
  inboundTrunkInfo,
  outboundNeedsFollowUp,
  outboundTrunkInfo,
  ruleNeedsFollowUp,
  sdkDispatchRule,
} from './sip-ingress-request.ts';

export type SipMethods = Pick<
  LiveKitPort,
  | 'listSipInboundTrunks'
  | 'createSipInboundTrunk'
  | 'updateSipInboundTrunk'
  | 'listSipOutboundTrunks'
  | 'createSipOutboundTrunk'
  | 'updateSipOutboundTrunk'
  | 'deleteSipTrunk'
  | 'listSipDispatchRules'
  | 'createSipDispatchRule'
  | 'updateSipDispatchRule'
  | 'deleteSipDispatchRule'
>;

export function sipMethods({ call, deleting }: Caller): SipMethods {
  const sip: SipMethods = {
    async listSipInboundTrunks() {
      const items = await call('SIP.ListSIPInboundTrunk', 'retry', (c) =>
        c.sip.listSipInboundTrunk(),
      );
      return items.map(toLiveSipInboundTrunk);
    },
    async createSipInboundTrunk(input) {
      const info = inboundTrunkInfo(input);
      const t = await call('SIP.CreateSIPInboundTrunk', 'once', (c) =>
        c.sip.createSipInboundTrunk(info.name, info.numbers, {
          metadata: info.metadata,
          allowedAddresses: info.allowedAddresses,
          allowedNumbers: info.allowedNumbers,
          authUsername: info.authUsername,
          authPassword: info.authPassword,
          krispEnabled: info.krispEnabled,
          headers: info.headers,
          headersToAttributes: info.headersToAttributes,
          includeHeaders: info.includeHeaders,
          mediaEncryption: info.mediaEncryption,
          ...(info.ringingTimeout ? { ringingTimeout: Number(info.ringingTimeout.seconds) } : {}),
        }),
      );
      if (!inboundNeedsFollowUp(input)) return toLiveSipInboundTrunk(t);
      return sip.updateSipInboundTrunk(t.sipTrunkId, input);
    },
    async updateSipInboundTrunk(id, input) {
      const t = await call('SIP.UpdateSIPInboundTrunk', 'retry', (c) =>
        c.sip.updateSipInboundTrunk(id, inboundTrunkInfo(input)),
      );
      return toLiveSipInboundTrunk(t);
    },
    async listSipOutboundTrunks() {
      const items = await call('SIP.ListSIPOutboundTrunk', 'retry', (c) =>
        c.sip.listSipOutboundTrunk(),
      );
      return items.map(toLiveSipOutboundTrunk);
    },
    async createSipOutboundTrunk(input) {
      const info = outboundTrunkInfo(input);
      const t = await call('SIP.CreateSIPOutboundTrunk', 'once', (c) =>
        c.sip.createSipOutboundTrunk(info.name, info.address, info.numbers, {
          transport: info.transport,
          metadata: info.metadata,
          authUsername: info.authUsername,
          authPassword: info.authPassword,
          headers: info.headers,
          headersToAttributes: info.headersToAttributes,
          includeHeaders: info.includeHeaders,
          destinationCountry: info.destinationCountry,
          mediaEncryption: info.mediaEncryption,
        }),
      );
      if (!outboundNeedsFollowUp(input)) return toLiveSipOutboundTrunk(t);
      return sip.updateSipOutboundTrunk(t.sipTrunkId, input);
    },
    async updateSipOutboundTrunk(id, input) {
      const t = await call('SIP.UpdateSIPOutboundTrunk', 'retry', (c) =>
        c.sip.updateSipOutboundTrunk(id, outboundTrunkInfo(input)),
      );
      return toLiveSipOutboundTrunk(t);
    },
    deleteSipTrunk: (id) => deleting('SIP.DeleteSIPTrunk', (c) => c.sip.deleteSipTrunk(id)),
    async listSipDispatchRules() {
      const items = await call('SIP.ListSIPDispatchRule', 'retry', (c) =>
        c.sip.listSipDispatchRule(),
      );
      return items.map(toLiveSipDispatchRule);
    },
    async createSipDispatchRule(input) {
      const r = await call('SIP.CreateSIPDispatchRule', 'once', (c) =>
        c.sip.createSipDispatchRule(sdkDispatchRule(input.rule), {
          name: input.name,
          metadata: input.metadata ?? '',
          trunkIds: [...(input.trunkIds ?? [])],
          hidePhoneNumber: input.hidePhoneNumber ?? false,
          attributes: { ...input.attributes },
          ...(input.roomPreset ? { roomPreset: input.roomPreset } : {}),
        }),
      );
      if (!ruleNeedsFollowUp(input)) return toLiveSipDispatchRule(r);
      return sip.updateSipDispatchRule(r.sipDispatchRuleId, input);
    },
    async updateSipDispatchRule(id, input) {
      const r = await call('SIP.UpdateSIPDispatchRule', 'retry', (c) =>
        c.sip.updateSipDispatchRule(id, dispatchRuleInfo(input)),
      );
      return toLiveSipDispatchRule(r);
    },
    deleteSipDispatchRule: (id) =>
      deleting('SIP.DeleteSIPDispatchRule', (c) => c.sip.deleteSipDispatchRule(id)),
  };
  return sip;
}
