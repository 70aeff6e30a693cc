/**
 * How a policy recognises its own egress when the StartEgress answer was lost: the identifying,
 * secret-free parts of the request (source, layout/identity/url, output paths), computed the same
 * way from the spec and from what LiveKit reports back in EgressInfo.request.
 */
import { canonicalJson } from '../../core/canonical-json.ts';
import type { EgressRequestSummary } from '../../core/live.ts';
import type { JsonValue } from '../../core/plan.ts';
import type { EgressOutput, StartEgressInput } from '../../adapters/livekit/port.ts';

type Json = { [key: string]: JsonValue };

function detailOf(fields: Record<string, JsonValue | undefined>): Record<string, string> {
  const d: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === true) d[k] = 'true';
    else if (typeof v === 'string' && v !== '') d[k] = v;
  }
  return d;
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** From the spec-shaped request of a DesiredRecordingPolicy. */
export function summaryOfPolicyRequest(request: Json): EgressRequestSummary {
  const outputs: string[] = [];
  for (const o of (request['outputs'] ?? []) as Json[]) {
    const file = o['file'] as Json | undefined;
    const segments = o['segments'] as Json | undefined;
    const images = o['images'] as Json | undefined;
    if (file) outputs.push(`file:${str(file['filepath'])}`);
    if (o['stream']) outputs.push('stream');
    if (segments) outputs.push(`segments:${str(segments['filenamePrefix'])}`);
    if (images) outputs.push(`images:${str(images['filenamePrefix'])}`);
  }
  outputs.sort();
  const rc = request['roomComposite'] as Json | undefined;
  if (rc) {
    const { layout, audioOnly, videoOnly, customBaseUrl } = rc;
    return {
      source: 'roomComposite',
      detail: detailOf({ layout, audioOnly, videoOnly, customBaseUrl }),
      outputs,
    };
  }
  const p = request['participant'] as Json | undefined;
  if (p) {
    return {
      source: 'participant',
      detail: detailOf({ identity: p['identity'], screenShare: p['screenShare'] }),
      outputs,
    };
  }
  if (request['trackComposite']) return { source: 'trackComposite', detail: {}, outputs };
  const w = (request['web'] ?? {}) as Json;
  const { url, audioOnly, videoOnly } = w;
  return { source: 'web', detail: detailOf({ url, audioOnly, videoOnly }), outputs };
}

function outputEntry(o: EgressOutput): string {
  switch (o.type) {
    case 'file':
      return `file:${o.filepath ?? ''}`;
    case 'stream':
      return 'stream';
    case 'segments':
      return `segments:${o.filenamePrefix ?? ''}`;
    case 'images':
      return `images:${o.filenamePrefix ?? ''}`;
  }
}

/** From a StartEgressInput (what the in-memory fake stores as EgressInfo.request). */
export function summaryOfStartInput(input: StartEgressInput): EgressRequestSummary {
  const outputs = input.outputs.map(outputEntry).sort();
  const s = input.source;
  switch (s.type) {
    case 'roomComposite': {
      const { layout, audioOnly, videoOnly, customBaseUrl } = s;
      return {
        source: s.type,
        detail: detailOf({ layout, audioOnly, videoOnly, customBaseUrl }),
        outputs,
      };
    }
    case 'participant':
      return {
        source: s.type,
        detail: detailOf({ identity: s.identity, screenShare: s.screenShare }),
        outputs,
      };
    case 'trackComposite':
      return { source: s.type, detail: {}, outputs };
    case 'web': {
      const { url, audioOnly, videoOnly } = s;
      return { source: s.type, detail: detailOf({ url, audioOnly, videoOnly }), outputs };
    }
  }
}

/** A stable string for a summary (the pending marker's `match.fingerprint`). */
export function fingerprintOf(summary: EgressRequestSummary): string {
  return canonicalJson(summary);
}
