/**
 * SIPDispatchRule as a persistent kind. `trunks` names SIPInboundTrunk specs; the plan resolves
 * them to the trunk ids state records, and a trunk created by the same apply (no id yet) appears
 * as `new:<name>`, which the executor resolves after the trunks' phase (apply runs dispatch rules
 * after every trunk change). The PIN is a secret: compared by hash, never shown.
 */
import type { LiveKitPort, SipDispatchRuleInput } from '../../adapters/livekit/port.ts';
import type { LiveSipDispatchRule } from '../../core/live.ts';
import type { JsonValue } from '../../core/plan.ts';
import { addressOf, bool, defined, sorted, str, stringMap, strings } from '../sip-common/kind.ts';
import type { DeclareContext, Fields, PersistentKind } from '../sip-common/kind.ts';
import {
  hasMarker,
  normaliseMetadata,
  payloadLineage,
  withMarker,
  withoutMarker,
} from '../sip-common/marker.ts';
import type { Json } from '../sip-common/secrets.ts';
import { mediaEncryptionOf } from '../sip-common/headers.ts';
import { adoptableByMarker, markerMatch, sipInboundKind } from '../sip-inbound-trunk/kind.ts';

const NEW = 'new:';

function sub(spec: Json, key: string): Json | undefined {
  const v = spec[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v !== undefined
    ? v
    : undefined;
}

/** The rule without its PIN, in the shape LiveKit reads back. */
function declaredRule(spec: Json): Fields | undefined {
  const rule = sub(spec, 'rule');
  if (rule === undefined) return undefined;
  const direct = sub(rule, 'direct');
  if (direct) return { type: 'direct', roomName: str(direct['roomName']) ?? '' };
  const individual = sub(rule, 'individual');
  if (individual) {
    return {
      type: 'individual',
      roomPrefix: str(individual['roomPrefix']) ?? '',
      noRandomness: bool(individual['noRandomness']) ?? false,
    };
  }
  const callee = sub(rule, 'callee');
  if (callee) {
    return {
      type: 'callee',
      roomPrefix: str(callee['roomPrefix']) ?? '',
      randomize: bool(callee['randomize']) ?? false,
    };
  }
  return undefined;
}

function liveRule(r: LiveSipDispatchRule['rule']): Fields {
  switch (r.type) {
    case 'direct':
      return { type: 'direct', roomName: r.roomName };
    case 'individual':
      return {
        type: 'individual',
        roomPrefix: r.roomPrefix,
        noRandomness: r.noRandomness ?? false,
      };
    case 'callee':
      return { type: 'callee', roomPrefix: r.roomPrefix, randomize: r.randomize };
  }
}

/** The rule to send, PIN resolved (the executor passes the spec with secrets resolved). */
function sendRule(spec: Json): SipDispatchRuleInput['rule'] {
  const rule = sub(spec, 'rule') ?? {};
  const pinOf = (r: Json): string => str(r['pin']) ?? '';
  const direct = sub(rule, 'direct');
  if (direct)
    return { type: 'direct', roomName: str(direct['roomName']) ?? '', pin: pinOf(direct) };
  const individual = sub(rule, 'individual');
  if (individual) {
    return {
      type: 'individual',
      roomPrefix: str(individual['roomPrefix']) ?? '',
      pin: pinOf(individual),
      noRandomness: bool(individual['noRandomness']) ?? false,
    };
  }
  const callee = sub(rule, 'callee') ?? {};
  return {
    type: 'callee',
    roomPrefix: str(callee['roomPrefix']) ?? '',
    pin: pinOf(callee),
    randomize: bool(callee['randomize']) ?? false,
  };
}

const list = (v: string[] | undefined): string[] | undefined =>
  v === undefined ? undefined : sorted(v);

export function trunkIdsOf(spec: Json, ctx: DeclareContext): string[] | undefined {
  const names = strings(spec['trunks']);
  if (names === undefined) return undefined;
  return sorted(names.map((n) => ctx.inboundTrunkIds.get(n) ?? `${NEW}${n}`));
}

/**
 * `new:<name>` → the id of the trunk of that name carrying our marker, of our lineage (created by
 * this apply): never another installation's trunk of the same name on the same server.
 */
async function resolveTrunkIds(
  planned: JsonValue | undefined,
  port: LiveKitPort,
  lineage: string | undefined,
): Promise<string[]> {
  const ids = Array.isArray(planned)
    ? planned.filter((x): x is string => typeof x === 'string')
    : [];
  if (!ids.some((id) => id.startsWith(NEW))) return ids;
  const trunks = await sipInboundKind.list(port);
  return ids.map((id) => {
    if (!id.startsWith(NEW)) return id;
    const name = id.slice(NEW.length);
    const found = trunks.find((t) => t.name === name && hasMarker(t.metadata, lineage));
    if (found === undefined) {
      throw new Error(`SIPInboundTrunk "${name}" has no trunk made by livekit-gitops yet`);
    }
    return found.sipTrunkId;
  });
}

async function input(
  name: string,
  spec: Json,
  payload: Json,
  port: LiveKitPort,
): Promise<SipDispatchRuleInput> {
  const fields = sub(payload, 'fields') ?? {};
  const i: SipDispatchRuleInput = {
    name,
    rule: sendRule(spec),
    metadata: withMarker(str(spec['metadata']), payloadLineage(payload)),
    trunkIds: await resolveTrunkIds(fields['trunkIds'], port, payloadLineage(payload)),
  };
  const hide = bool(spec['hidePhoneNumber']);
  if (hide !== undefined) i.hidePhoneNumber = hide;
  const attributes = stringMap(spec['attributes']);
  if (attributes !== undefined) i.attributes = attributes;
  const inboundNumbers = strings(spec['inboundNumbers']);
  if (inboundNumbers !== undefined) i.inboundNumbers = inboundNumbers;
  const numbers = strings(spec['numbers']);
  if (numbers !== undefined) i.numbers = numbers;
  const roomPreset = str(spec['roomPreset']);
  if (roomPreset !== undefined) i.roomPreset = roomPreset;
  const krispEnabled = bool(spec['krispEnabled']);
  if (krispEnabled !== undefined) i.krispEnabled = krispEnabled;
  const mediaEncryption = mediaEncryptionOf(spec['mediaEncryption']);
  if (mediaEncryption !== undefined) i.mediaEncryption = mediaEncryption;
  return i;
}

export const sipDispatchKind: PersistentKind<LiveSipDispatchRule> = {
  kind: 'SIPDispatchRule',
  prefix: 'sip-dispatch',
  id: (l) => l.sipDispatchRuleId,
  name: (l) => l.name,
  declared: (spec, ctx) => {
    const metadata = str(spec['metadata']);
    return defined({
      rule: declaredRule(spec),
      trunkIds: trunkIdsOf(spec, ctx),
      hidePhoneNumber: bool(spec['hidePhoneNumber']),
      attributes: stringMap(spec['attributes']),
      metadata: metadata === undefined ? undefined : normaliseMetadata(metadata),
      inboundNumbers: list(strings(spec['inboundNumbers'])),
      numbers: list(strings(spec['numbers'])),
      roomPreset: str(spec['roomPreset']),
      krispEnabled: bool(spec['krispEnabled']),
      mediaEncryption: mediaEncryptionOf(spec['mediaEncryption']),
    });
  },
  observed: (l) => ({
    rule: liveRule(l.rule),
    trunkIds: sorted(l.trunkIds),
    hidePhoneNumber: l.hidePhoneNumber,
    attributes: l.attributes,
    metadata: withoutMarker(l.metadata),
    inboundNumbers: sorted(l.inboundNumbers),
    numbers: sorted(l.numbers),
    roomPreset: l.roomPreset,
    krispEnabled: l.krispEnabled,
    mediaEncryption: l.mediaEncryption,
  }),
  immutable: [],
  unsupported: [],
  matchKey: markerMatch,
  adoptable: (l, m) => adoptableByMarker(l.metadata, m),
  list: (port) => port.listSipDispatchRules(),
  create: async (name, spec, payload, port) =>
    port.createSipDispatchRule(await input(name, spec, payload, port)),
  update: async (id, name, spec, payload, port) =>
    port.updateSipDispatchRule(id, await input(name, spec, payload, port)),
  remove: (id, port) => port.deleteSipDispatchRule(id),
};

/** Trunk spec name → the server id state records for it. */
export function ownedInboundTrunkIds(
  owned: Record<string, { serverId?: string }>,
): Map<string, string> {
  const ids = new Map<string, string>();
  const prefix = `${addressOf(sipInboundKind.prefix, '')}`;
  for (const [address, o] of Object.entries(owned)) {
    if (address.startsWith(prefix) && o.serverId !== undefined) {
      ids.set(address.slice(prefix.length), o.serverId);
    }
  }
  return ids;
}
