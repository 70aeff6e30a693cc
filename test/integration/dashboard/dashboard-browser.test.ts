/**
 * The daemon's dashboard in a real headless Chromium: it loads without console errors, follows a
 * real participant and a room deleted behind the daemon's back live (Server-Sent Events), shows
 * a room name that is markup as text, and refuses a browser without the token when the listener
 * is not loopback. The screenshot lands in test-artifacts/ (git-ignored).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileBackend } from '../../../src/adapters/state/file-backend.ts';
import { makeWorkspace, roomYaml } from '../../harness/cli.ts';
import { launchBrowser, type TestBrowser } from '../../harness/browser.ts';
import { disposeRtc, joinParticipant } from '../../harness/participants.ts';
import { addRelayTarget, removeRelayTarget } from '../../harness/webhook-client.ts';
import { startDaemonChild, waitFor, type DaemonChild } from '../daemon/daemon-process.ts';
import { daemonTestBed, stopDaemons } from '../daemon/test-bed.ts';

const { env, port, tag, deleteTaggedRooms } = daemonTestBed();
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));
const room = `dash-${tag}`;
const agentRoom = `dash-agents-${tag}`;
const agentName = `dash-agent-${tag}`;
const markupRoom = `<img src=x onerror=alert(1)> ${tag}`;
const token = `dash-token-${tag}`;
const daemons: DaemonChild[] = [];
let browser: TestBrowser | undefined;
let daemon: DaemonChild;
let workspace: string;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  const ws = await makeWorkspace({
    'rooms/dash.yaml': roomYaml(room, { maxParticipants: 9 }),
    // Dispatched with CreateRoom; no worker takes it, so it stays dispatched.
    'rooms/agents.yaml': roomYaml(agentRoom, { agents: [{ agentName }] }),
  });
  workspace = ws;
  daemon = await startDaemonChild(ws, env, ['--interval', '1h', '--metrics-listen', '127.0.0.1:0']);
  daemons.push(daemon);
  await addRelayTarget(env.relayUrl, daemon.webhookUrl);
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await disposeRtc();
  for (const d of daemons) await removeRelayTarget(env.relayUrl, d.webhookUrl);
  await stopDaemons(daemons);
  await deleteTaggedRooms();
});

const row = (name: string) => page.locator('#rooms tr').filter({ hasText: name });
const readyOf = (name: string) =>
  row(name).locator('td[data-condition="Ready"]').getAttribute('data-status');

describe('dashboard in a headless browser', () => {
  it('loads from the daemon itself, live, with the declared room Synced and Ready', async () => {
    const res = await page.goto(`${daemon.probeBase}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('#connection', { hasText: 'live' }).waitFor({ timeout: 15_000 });
    await row(room).locator('td[data-condition="Synced"][data-status="True"]').waitFor();
    await row(room).locator('td[data-condition="Ready"][data-status="True"]').waitFor();
    expect(await page.locator('#daemon-active').textContent()).toMatch(/^active/);
    await page.locator('#leader', { hasText: '(daemon, since' }).waitFor();
    // Every request the page made went to the daemon: no CDN, nothing else.
    const hosts = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((e) => new URL(e.name).host),
    );
    expect(new Set(hosts)).toEqual(new Set([new URL(daemon.probeBase).host]));
    expect(problems).toEqual([]);
  });

  it('shows a real participant joining within 2 s', async () => {
    await joinParticipant(env, { room, identity: 'alice', name: 'Alice', publishAudio: true });
    await row(room).locator('li[data-participant="alice"]').waitFor({ timeout: 2000 });
    expect(await row(room).locator('li[data-participant="alice"]').textContent()).toContain(
      'Alice',
    );
    expect(problems).toEqual([]);
  });

  it('shows a room deleted behind its back as not ready, then reconciled', async () => {
    // Every Ready state the page renders for the room, in order (each snapshot is one render).
    // Page code as text: this project's TypeScript has no DOM types.
    await page.evaluate(`(() => {
      const seen = (window.readySeen = []);
      new MutationObserver(() => {
        for (const tr of document.querySelectorAll('#rooms tr')) {
          if (tr.getAttribute('data-room') !== ${JSON.stringify(room)}) continue;
          const s = tr.querySelector('td[data-condition="Ready"]')?.getAttribute('data-status');
          if (s && seen[seen.length - 1] !== s) seen.push(s);
        }
      }).observe(document.getElementById('rooms'), { childList: true, subtree: true });
    })()`);
    await port.deleteRoom(room);
    await waitFor(
      'the page rendered the room not ready, then ready again',
      async () => {
        const seen = await page.evaluate<string[]>('window.readySeen');
        return seen.includes('False') && seen[seen.length - 1] === 'True';
      },
      20_000,
    );
    expect(await readyOf(room)).toBe('True');
    // The daemon recreated it: the server ended it, then started it again (the room_started
    // webhook may arrive after the reconcile that made the room Ready again).
    const events = async () =>
      (await page.locator('#events tr').filter({ hasText: room }).allTextContents())
        .map((t) => /room_(finished|started)/.exec(t)?.[0])
        .filter(Boolean);
    await waitFor('room_started after room_finished in the events', async () => {
      return (await events())[0] === 'room_started';
    });
    expect((await events()).slice(0, 2)).toEqual(['room_started', 'room_finished']);
    expect((await port.listRooms()).map((r) => r.name)).toContain(room);
    expect(problems).toEqual([]);
  });

  it('shows the leader and the state lock apart: a CI apply holding the lock beside the leading daemon', async () => {
    // The daemon leads throughout but takes the state lock only around its writes.
    await page.locator('#lock-holder', { hasText: 'free' }).waitFor({ timeout: 15_000 });
    const backend = createFileBackend({ dir: '.livekit-gitops', cwd: workspace });
    const lock = await backend.acquireLock({ operation: 'apply' }, { waitMs: 10_000 });
    try {
      await page.locator('#lock-holder', { hasText: '(apply, since' }).waitFor({ timeout: 15_000 });
      expect(await page.locator('#leader').textContent()).toMatch(/\(daemon, since/);
    } finally {
      await lock.release();
    }
    await page.locator('#lock-holder', { hasText: 'free' }).waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
  });

  it("shows a room's agent dispatches in the Agents column", async () => {
    // Columns: room, Synced, Ready, participants, recordings, agents, last reconcile.
    const cell = row(agentRoom).locator('td').nth(5);
    await cell.locator('.name', { hasText: agentName }).waitFor({ timeout: 15_000 });
    expect(await cell.textContent()).toContain(`${agentName} dispatched`);
    expect(await row(room).locator('td').nth(5).textContent()).toBe('');
    expect(problems).toEqual([]);
  });

  it('renders a room named with markup as text', async () => {
    const rooms = new RoomServiceClient(env.url, env.apiKey, env.apiSecret);
    await rooms.createRoom({ name: markupRoom, emptyTimeout: 120 });
    await row(markupRoom).waitFor({ timeout: 15_000 });
    expect(await row(markupRoom).locator('.name').first().textContent()).toBe(markupRoom);
    expect(await page.locator('img').count()).toBe(0);
    // Someone in the recreated room, for the screenshot.
    await joinParticipant(env, { room, identity: 'bob', name: 'Bob', publishAudio: true });
    await row(room).locator('li[data-participant="bob"]').waitFor({ timeout: 2000 });
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('refuses a browser without the token when the listener is not loopback', async () => {
    const ws = await makeWorkspace({ 'rooms/d.yaml': roomYaml(`dash-open-${tag}`) });
    const open = await startDaemonChild(
      ws,
      env,
      ['--interval', '1h', '--metrics-listen', '0.0.0.0:0'],
      { LIVEKIT_GITOPS_DASHBOARD_TOKEN: token },
    );
    daemons.push(open);
    await waitFor('ready', async () => (await fetch(`${open.probeBase}/readyz`)).status === 200);
    const guest = await browser!.context.newPage();
    const refused = await guest.goto(`${open.probeBase}/`);
    expect(refused?.status()).toBe(401);
    expect(await guest.locator('body').textContent()).not.toContain('livekit-gitops');
    const events = await fetch(`${open.probeBase}/dashboard/events`);
    expect(events.status).toBe(401);
    await events.body?.cancel();
    expect((await fetch(`${open.probeBase}/dashboard/snapshot.json`)).status).toBe(401);
    const wrong = await fetch(`${open.probeBase}/`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const bearer = await fetch(`${open.probeBase}/dashboard/snapshot.json`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
    const body = await bearer.text();
    expect(body).toContain(`dash-open-${tag}`);
    expect(body).not.toContain(token);
    // The token once in the address: a cookie, the address cleaned, the page live.
    const admitted = await guest.goto(`${open.probeBase}/?token=${token}`);
    expect(admitted?.status()).toBe(200);
    expect(new URL(guest.url()).search).toBe('');
    await guest.locator('#connection', { hasText: 'live' }).waitFor({ timeout: 15_000 });
    await guest.close();
    expect(problems).toEqual([]);
  });
});
