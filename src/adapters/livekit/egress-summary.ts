/** EgressInfo.request → the plain, secret-free summary a recording policy matches on. */
import type {
  EgressInfo,
  EncodedFileOutput,
  ImageOutput,
  SegmentedFileOutput,
  StreamOutput,
} from '@livekit/protocol';
import type { EgressRequestSummary } from '../../core/live.ts';

interface OutputLists {
  fileOutputs: EncodedFileOutput[];
  streamOutputs: StreamOutput[];
  segmentOutputs: SegmentedFileOutput[];
  imageOutputs: ImageOutput[];
  output: { case: string | undefined; value?: unknown };
}

function outputsOf(r: OutputLists): string[] {
  const out: string[] = [];
  for (const f of r.fileOutputs) out.push(`file:${f.filepath}`);
  out.push(...r.streamOutputs.map(() => 'stream'));
  for (const s of r.segmentOutputs) out.push(`segments:${s.filenamePrefix}`);
  for (const i of r.imageOutputs) out.push(`images:${i.filenamePrefix}`);
  // The SDK sends a single output twice (legacy field and list): the list wins, legacy is the fallback.
  if (out.length === 0 && r.output.case !== undefined) {
    const v = r.output.value as { filepath?: string; filenamePrefix?: string };
    if (r.output.case === 'file') out.push(`file:${v.filepath ?? ''}`);
    else if (r.output.case === 'stream') out.push('stream');
    else if (r.output.case === 'segments') out.push(`segments:${v.filenamePrefix ?? ''}`);
  }
  return out.sort();
}

function detailOf(fields: Record<string, string | boolean | undefined>): Record<string, string> {
  const d: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === true) d[k] = 'true';
    else if (typeof v === 'string' && v !== '') d[k] = v;
  }
  return d;
}

export function summarizeEgressRequest(e: EgressInfo): EgressRequestSummary | undefined {
  const r = e.request;
  switch (r.case) {
    case 'roomComposite':
      return {
        source: 'roomComposite',
        detail: detailOf({
          layout: r.value.layout,
          audioOnly: r.value.audioOnly,
          videoOnly: r.value.videoOnly,
          customBaseUrl: r.value.customBaseUrl,
        }),
        outputs: outputsOf(r.value),
      };
    case 'participant':
      return {
        source: 'participant',
        detail: detailOf({ identity: r.value.identity, screenShare: r.value.screenShare }),
        outputs: outputsOf({ ...r.value, output: { case: undefined } }),
      };
    case 'trackComposite':
      // Track ids differ per start, so they do not identify the policy.
      return { source: 'trackComposite', detail: {}, outputs: outputsOf(r.value) };
    case 'web':
      return {
        source: 'web',
        detail: detailOf({
          url: r.value.url,
          audioOnly: r.value.audioOnly,
          videoOnly: r.value.videoOnly,
        }),
        outputs: outputsOf(r.value),
      };
    case undefined:
      return undefined;
    default:
      return { source: r.case, detail: {}, outputs: [] };
  }
}
