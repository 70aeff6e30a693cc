import { createServer } from 'node:http';
import {
  EgressInfo,
  ListEgressRequest,
  ListEgressResponse,
  TokenPagination,
} from '@livekit/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEgressAllPages } from '../../../src/adapters/livekit/egress-list.ts';

// LiveKit OSS answers ListEgress in one page; a paging server (Cloud) is stood in for by a
// loopback Twirp endpoint that serves 3 pages of 2, honouring the request's page token.
describe('listEgressAllPages', () => {
  const requests: ListEgressRequest[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = ListEgressRequest.fromJsonString(body);
      requests.push(r);
      const page = Number(r.pageToken?.token ?? '0');
      const items = [0, 1].map((i) => new EgressInfo({ egressId: `EG_${page * 2 + i}` }));
      const out = new ListEgressResponse({
        items,
        ...(page < 2 ? { nextPageToken: new TokenPagination({ token: String(page + 1) }) } : {}),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(out.toJsonString());
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const a = srv.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => srv.close(() => r())));

  it('follows next_page_token to the last page', async () => {
    const items = await listEgressAllPages(
      { url, apiKey: 'k', apiSecret: 'secret-secret-secret-secret' },
      { roomName: 'r' },
      2_000,
    );
    expect(items.map((e) => e.egressId)).toEqual(['EG_0', 'EG_1', 'EG_2', 'EG_3', 'EG_4', 'EG_5']);
    expect(requests.map((r) => r.pageToken?.token)).toEqual([undefined, '1', '2']);
    expect(requests.every((r) => r.roomName === 'r')).toBe(true);
  });
});
