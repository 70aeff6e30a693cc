/**
 * What `import` writes and adopts, from one snapshot of live objects: one spec per object whose
 * name is a valid, unique spec name, the reason for every object left out, the env vars the
 * secret placeholders name, and the state entries `--adopt` records.
 */
import picomatch from 'picomatch';
import type { OwnedObject } from '../core/inventory.ts';
import type {
  LiveIngress,
  LiveRoom,
  LiveSipDispatchRule,
  LiveSipInboundTrunk,
  LiveSipOutboundTrunk,
} from '../core/live.ts';
import { addressOf } from '../kinds/sip-common/kind.ts';
import {
  hashKey,
  resolveSecrets,
  secretHashOf,
  secretPaths,
  type Json,
} from '../kinds/sip-common/secrets.ts';
import { roomAddress } from '../kinds/room/desired.ts';
import { envSecrets } from '../spec/secrets.ts';
import { API_VERSION } from '../spec/spec-constants.ts';
import {
  ingressToSpec,
  roomToSpec,
  secretEnvName,
  sipDispatchToSpec,
  sipInboundToSpec,
  sipOutboundToSpec,
  type ImportKind,
  type MappedSpec,
  type Unmappable,
} from './import-map.ts';

/** Live objects per kind; a kind left undefined was not read (not asked for, or unavailable). */
export interface LiveSnapshot {
  rooms?: LiveRoom[];
  ingress?: LiveIngress[];
  sipInbound?: LiveSipInboundTrunk[];
  sipOutbound?: LiveSipOutboundTrunk[];
  sipDispatch?: LiveSipDispatchRule[];
}

export interface ImportedDoc {
  kind: ImportKind;
  name: string;
  address: string;
  serverId: string;
  /** The whole document: apiVersion, kind, metadata, spec. */
  document: Json;
  /** Env vars its secret placeholders name. */
  env: string[];
  /** Hash of its secrets as LiveKit holds them (what apply would record), when it has any. */
  secretHash?: string;
}

export interface SkippedObject {
  kind: ImportKind;
  name?: string;
  reason: string;
}

export interface ImportSet {
  docs: ImportedDoc[];
  skipped: SkippedObject[];
}

export interface ImportOptions {
  /** Globs over object names; none means every object. */
  match?: readonly string[];
  /** The env of the run: its LIVEKIT_API_SECRET keys the secret hash (kinds/sip-common/secrets.ts). */
  env: Record<string, string | undefined>;
}

/** The spec-name rule of every kind but Room (schema-common ObjectName). */
const OBJECT_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const OBJECT_NAME_MAX = 128;

interface Source<Live> {
  kind: ImportKind;
  prefix: string;
  name: (l: Live) => string;
  id: (l: Live) => string;
  map: (l: Live, envFor: (what: string) => string) => MappedSpec | Unmappable;
}

export function buildImport(live: LiveSnapshot, opts: ImportOptions): ImportSet {
  const isMatch =
    opts.match === undefined || opts.match.length === 0 ? () => true : picomatch([...opts.match]);
  const out: ImportSet = { docs: [], skipped: [] };
  const usedEnv = new Set<string>();
  const run = <Live>(list: Live[] | undefined, src: Source<Live>): void => {
    if (list === undefined) return;
    collect(
      list.filter((l) => isMatch(src.name(l))),
      src,
      opts.env,
      usedEnv,
      out,
    );
  };
  run(live.rooms, {
    kind: 'Room',
    prefix: 'room',
    name: (l) => l.name,
    id: (l) => l.sid,
    map: (l) => roomToSpec(l),
  });
  run(live.ingress, {
    kind: 'Ingress',
    prefix: 'ingress',
    name: (l) => l.name,
    id: (l) => l.ingressId,
    map: (l) => ingressToSpec(l),
  });
  const inboundStart = out.docs.length;
  run(live.sipInbound, {
    kind: 'SIPInboundTrunk',
    prefix: 'sip-inbound',
    name: (l) => l.name,
    id: (l) => l.sipTrunkId,
    map: (l, envFor) => sipInboundToSpec(l, envFor('PASSWORD')),
  });
  const trunkNames = new Map(out.docs.slice(inboundStart).map((d) => [d.serverId, d.name]));
  run(live.sipOutbound, {
    kind: 'SIPOutboundTrunk',
    prefix: 'sip-outbound',
    name: (l) => l.name,
    id: (l) => l.sipTrunkId,
    map: (l, envFor) => sipOutboundToSpec(l, envFor('PASSWORD')),
  });
  run(live.sipDispatch, {
    kind: 'SIPDispatchRule',
    prefix: 'sip-dispatch',
    name: (l) => l.name,
    id: (l) => l.sipDispatchRuleId,
    map: (l, envFor) => sipDispatchToSpec(l, trunkNames, envFor('PIN')),
  });
  return out;
}

function nameProblem(kind: ImportKind, name: string): string | undefined {
  if (kind === 'Room') {
    return name.length >= 1 && name.length <= 256 ? undefined : 'room name is empty or too long';
  }
  if (name.length > OBJECT_NAME_MAX || !OBJECT_NAME.test(name)) {
    return `"${name}" is not a valid spec name (letters, digits, ".", "_", "-", at most ${OBJECT_NAME_MAX}); rename it in LiveKit, then import again`;
  }
  return undefined;
}

function collect<Live>(
  list: readonly Live[],
  src: Source<Live>,
  env: Record<string, string | undefined>,
  usedEnv: Set<string>,
  out: ImportSet,
): void {
  const counts = new Map<string, number>();
  for (const l of list) counts.set(src.name(l), (counts.get(src.name(l)) ?? 0) + 1);
  const sorted = [...list].sort((a, b) => (src.name(a) < src.name(b) ? -1 : 1));
  for (const l of sorted) {
    const name = src.name(l);
    const problem = nameProblem(src.kind, name);
    if (problem !== undefined) {
      out.skipped.push({ kind: src.kind, name, reason: problem });
      continue;
    }
    const count = counts.get(name) ?? 0;
    if (count > 1) {
      out.skipped.push({
        kind: src.kind,
        name,
        reason: `${count} objects share this name (specs match by name); rename or delete the extra ones`,
      });
      continue;
    }
    const envFor = (what: string): string => uniqueEnv(secretEnvName(name, what), usedEnv);
    const mapped = src.map(l, envFor);
    if ('skip' in mapped) {
      out.skipped.push({ kind: src.kind, name, reason: mapped.skip });
      continue;
    }
    const address = src.kind === 'Room' ? roomAddress(name) : addressOf(src.prefix, name);
    const doc: ImportedDoc = {
      kind: src.kind,
      name,
      address,
      serverId: src.id(l),
      document: { apiVersion: API_VERSION, kind: src.kind, metadata: { name }, spec: mapped.spec },
      env: Object.keys(mapped.secrets),
    };
    const hash = secretHash(address, mapped, env);
    if (hash !== undefined) doc.secretHash = hash;
    out.docs.push(doc);
  }
}

function uniqueEnv(base: string, used: Set<string>): string {
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

/** The hash apply records for these secret values, so an adopted object's plan stays empty. */
function secretHash(
  address: string,
  mapped: MappedSpec,
  env: Record<string, string | undefined>,
): string | undefined {
  const paths = secretPaths(mapped.spec);
  if (paths.length === 0) return undefined;
  const resolved = resolveSecrets(mapped.spec, {
    secrets: envSecrets(mapped.secrets),
    baseDir: '.',
  });
  return secretHashOf(address, resolved, paths, hashKey(env));
}

/** The state entries `--adopt` records: the imported objects, owned from now on. */
export function adoptedEntries(docs: readonly ImportedDoc[], now: Date): OwnedObject[] {
  return docs.map((d) => {
    const owned: OwnedObject = {
      address: d.address,
      kind: d.kind,
      name: d.name,
      since: now.toISOString(),
    };
    if (d.serverId !== '') owned.serverId = d.serverId;
    if (d.secretHash !== undefined) owned.specHash = d.secretHash;
    return owned;
  });
}
