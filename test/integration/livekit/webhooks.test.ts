import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../../../src/adapters/livekit/index.ts';
import { liveKitEnv } from '../../harness/env.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { deliveryCursor, waitForWebhook } from '../../harness/webhook-client.ts';

afterAll(disposeRtc);

async function rejectionOf(p: Promise<unknown>): Promise<WebhookVerificationError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookVerificationError);
    return err as WebhookVerificationError;
  }
  throw new Error('expected the webhook to be rejected');
}

describe('LiveKit webhooks through the relay', () => {
  const env = liveKitEnv();
  const room = `webhook-${randomBytes(3).toString('hex')}`;

  it('delivers a participant_joined that verifies, and rejects forgeries', async () => {
    const since = await deliveryCursor(env.relayUrl);
    await joinParticipant(env, { room, identity: 'wendy', attributes: { role: 'guest' } });
    const { delivery } = await waitForWebhook(
      env.relayUrl,
      (e) => e.event === 'participant_joined' && e.room?.name === room,
      10_000,
      since,
    );
    expect(delivery.contentType).toBe('application/webhook+json');
    expect(delivery.authorization).toBeTruthy();

    const ev = await verifyWebhook(env, delivery.body, delivery.authorization);
    expect(ev.event).toBe('participant_joined');
    expect(ev.id).not.toBe('');
    expect(ev.createdAtMs).toBeGreaterThan(Date.UTC(2024, 0, 1));
    expect(ev.room?.name).toBe(room);
    expect(ev.participant).toMatchObject({
      identity: 'wendy',
      attributes: { role: 'guest' },
      kind: 'standard',
    });

    // The body altered by one character: the signed sha256 no longer matches.
    const altered = delivery.body.replace('wendy', 'mallory');
    expect(altered).not.toBe(delivery.body);
    expect((await rejectionOf(verifyWebhook(env, altered, delivery.authorization))).reason).toBe(
      'body_mismatch',
    );
    // Signed with another secret.
    const wrong = { apiKey: env.apiKey, apiSecret: randomBytes(32).toString('base64url') };
    expect(
      (await rejectionOf(verifyWebhook(wrong, delivery.body, delivery.authorization))).reason,
    ).toBe('bad_signature');
    // No header at all.
    expect((await rejectionOf(verifyWebhook(env, delivery.body, undefined))).reason).toBe(
      'missing_header',
    );
    // A token from another key is not ours either.
    const otherKey = { apiKey: 'APIother', apiSecret: env.apiSecret };
    expect(
      (await rejectionOf(verifyWebhook(otherKey, delivery.body, delivery.authorization))).reason,
    ).toBe('bad_signature');
  });

  it('forwards deliveries verbatim to registered targets', async () => {
    const { createServer } = await import('node:http');
    const got: { body: string; auth: string | undefined }[] = [];
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({ body, auth: req.headers.authorization });
        res.end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const addr = srv.address();
    const target = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
    const { addRelayTarget, removeRelayTarget } = await import('../../harness/webhook-client.ts');
    await addRelayTarget(env.relayUrl, target);
    try {
      const since = await deliveryCursor(env.relayUrl);
      const other = `${room}-fwd`;
      await joinParticipant(env, { room: other, identity: 'fred' });
      const { delivery } = await waitForWebhook(
        env.relayUrl,
        (e) => e.event === 'participant_joined' && e.room?.name === other,
        10_000,
        since,
      );
      for (let i = 0; i < 100 && !got.some((g) => g.body === delivery.body); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const forwarded = got.find((g) => g.body === delivery.body);
      expect(forwarded?.auth).toBe(delivery.authorization);
      if (!forwarded) throw new Error('not forwarded');
      expect((await verifyWebhook(env, forwarded.body, forwarded.auth)).participant?.identity).toBe(
        'fred',
      );
    } finally {
      await removeRelayTarget(env.relayUrl, target);
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});
