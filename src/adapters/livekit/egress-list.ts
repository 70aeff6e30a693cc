import type { EgressInfo } from '@livekit/protocol';
import { ListEgressRequest, ListEgressResponse, TokenPagination } from '@livekit/protocol';
import { AccessToken, ServerError } from 'livekit-server-sdk';

export interface TwirpTarget {
  /** http(s) base URL of the server. */
  url: string;
  apiKey: string;
  apiSecret: string;
}

const MAX_PAGES = 10_000;

/** Same shape as the SDK's ServerError, so one error mapping covers both paths. */
async function serverError(res: Response): Promise<ServerError> {
  let message = 'Unknown internal error';
  let code: string | undefined;
  let meta: Record<string, string> | undefined;
  try {
    if (res.headers.get('content-type') === 'application/json') {
      const body = (await res.json()) as {
        msg?: string;
        code?: string;
        meta?: Record<string, string>;
      };
      message = body.msg ?? message;
      code = body.code;
      meta = body.meta;
    } else {
      message = await res.text();
    }
  } catch {
    // keep the defaults
  }
  return new ServerError(res.statusText, message, res.status, code, meta);
}

/**
 * ListEgress over Twirp with page tokens. The SDK's listEgress drops `next_page_token`; LiveKit OSS
 * 1.13 answers everything in one page, Cloud may not. Bounded against a server that loops.
 */
export async function listEgressAllPages(
  target: TwirpTarget,
  filter: { roomName?: string; egressId?: string; active?: boolean },
  timeoutMs: number,
): Promise<EgressInfo[]> {
  const at = new AccessToken(target.apiKey, target.apiSecret, { ttl: '10m' });
  at.addGrant({ roomRecord: true });
  const auth = `Bearer ${await at.toJwt()}`;
  const endpoint = new URL('/twirp/livekit.Egress/ListEgress', target.url.replace(/^ws/, 'http'));
  const items: EgressInfo[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const req = new ListEgressRequest({
      roomName: filter.roomName ?? '',
      egressId: filter.egressId ?? '',
      active: filter.active ?? false,
      ...(token !== undefined ? { pageToken: new TokenPagination({ token }) } : {}),
    });
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=UTF-8', authorization: auth },
      body: JSON.stringify(req.toJson()),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw await serverError(res);
    const body = ListEgressResponse.fromJson((await res.json()) as never, {
      ignoreUnknownFields: true,
    });
    items.push(...body.items);
    const next = body.nextPageToken?.token;
    if (!next || seen.has(next)) return items;
    seen.add(next);
    token = next;
  }
  return items;
}
