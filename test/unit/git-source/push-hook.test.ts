import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPushHook, validSignature } from '../../../src/daemon/git-source/push-hook.ts';

const SECRET = 'It’s a Secret to Everybody';

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function hook(active = true) {
  const triggered: (string | undefined)[] = [];
  const outcomes: string[] = [];
  const handle = createPushHook({
    secret: SECRET,
    ref: 'refs/heads/main',
    active: () => active,
    trigger: (after) => triggered.push(after),
    outcome: (o) => outcomes.push(o),
  });
  return { handle, triggered, outcomes };
}

describe('push webhook', () => {
  it('checks X-Hub-Signature-256 as GitHub documents it', () => {
    // GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
    expect(
      validSignature(
        "It's a Secret to Everybody",
        'Hello, World!',
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      ),
    ).toBe(true);
    expect(validSignature(SECRET, 'x', undefined)).toBe(false);
    expect(validSignature(SECRET, 'x', sign('y'))).toBe(false);
    expect(validSignature(SECRET, 'x', sign('x', 'other'))).toBe(false);
    expect(validSignature(SECRET, 'x', 'sha1=' + sign('x').slice(7))).toBe(false);
    expect(validSignature(SECRET, 'x', 'sha256=abcd')).toBe(false);
  });

  it('401 on a bad or missing signature, without triggering', async () => {
    const h = hook();
    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'abc' });
    expect((await h.handle(body, { 'x-hub-signature-256': sign(body, 'forged') })).status).toBe(
      401,
    );
    expect((await h.handle(body, {})).status).toBe(401);
    expect(h.triggered).toEqual([]);
    expect(h.outcomes).toEqual(['bad_signature', 'bad_signature']);
  });

  it('only a push to the configured ref triggers; ping answers; bad JSON is 400', async () => {
    const h = hook();
    const other = JSON.stringify({ ref: 'refs/heads/dev', after: 'abc' });
    expect((await h.handle(other, { 'x-hub-signature-256': sign(other) })).status).toBe(202);
    const tag = JSON.stringify({ ref: 'refs/heads/main' });
    const ping = await h.handle(tag, {
      'x-hub-signature-256': sign(tag),
      'x-github-event': 'ping',
    });
    expect(ping.status).toBe(200);
    const issue = await h.handle(tag, {
      'x-hub-signature-256': sign(tag),
      'x-github-event': 'issues',
    });
    expect(issue.status).toBe(202);
    expect((await h.handle('{', { 'x-hub-signature-256': sign('{') })).status).toBe(400);
    expect((await h.handle('null', { 'x-hub-signature-256': sign('null') })).status).toBe(400);
    expect(h.triggered).toEqual([]);

    const push = JSON.stringify({ ref: 'refs/heads/main', after: 'abc' });
    expect((await h.handle(push, { 'x-hub-signature-256': sign(push) })).status).toBe(202);
    // GitHub's form encoding: the signature covers the encoded body.
    const form = `payload=${encodeURIComponent(JSON.stringify({ ref: 'refs/heads/main', after: 'def' }))}`;
    const res = await h.handle(form, {
      'x-hub-signature-256': sign(form),
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(202);
    expect(h.triggered).toEqual(['abc', 'def']);
    expect(h.outcomes).toEqual([
      'ignored',
      'ignored',
      'ignored',
      'bad_payload',
      'bad_payload',
      'accepted',
      'accepted',
    ]);
  });

  it('a standby daemon answers 503 to a valid push and fetches nothing', async () => {
    const h = hook(false);
    const push = JSON.stringify({ ref: 'refs/heads/main', after: 'abc' });
    expect((await h.handle(push, { 'x-hub-signature-256': sign(push) })).status).toBe(503);
    expect(h.triggered).toEqual([]);
    expect(h.outcomes).toEqual(['standby']);
  });
});
