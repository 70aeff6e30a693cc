/**
 * The main job, end to end on this machine: a local livekit-server (with Redis, webhooks pointed at
 * the daemon), the example specs in rooms/ validated, planned and applied, the daemon reconciling
 * with webhooks, and a few real participants joining so the status table fills. Runs until Ctrl-C
 * (or LKG_DEMO_SECONDS; 45 s when not on a terminal). State and status files go to .demo/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collect, spawnCli } from '../test/harness/cli.ts';
import { freePort } from '../test/harness/free-port.ts';
import { startLiveKit } from '../test/harness/livekit-server.ts';
import { disconnectAll, disposeRtc, joinParticipant } from '../test/harness/participants.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, '.demo');
// Relative to .demo/, where the CLI runs, so output shows short paths.
const specs = '../rooms';
const interactive = process.stdout.isTTY === true;
const seconds = Number(process.env['LKG_DEMO_SECONDS'] ?? (interactive ? 0 : 45));

function step(text: string): void {
  process.stdout.write(`\n\u001b[1m==> ${text}\u001b[0m\n`);
}

await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const listenPort = await freePort();
const listen = `127.0.0.1:${listenPort}`;

step('Starting a local livekit-server with Redis, webhooks to the daemon');
const lk = await startLiveKit({ webhookUrls: [`http://${listen}/webhook`] });
// The example specs reference credentials with fromEnv; the demo makes throwaway ones (kept from
// the environment when already set). They are redacted in every output, as any secret is.
const demoSecret = (name: string, value: string): string => process.env[name] ?? value;
const env = {
  LIVEKIT_URL: lk.url,
  LIVEKIT_API_KEY: lk.apiKey,
  LIVEKIT_API_SECRET: lk.apiSecret,
  SIP_INBOUND_PASSWORD: demoSecret('SIP_INBOUND_PASSWORD', randomBytes(12).toString('base64url')),
  SIP_OUTBOUND_PASSWORD: demoSecret('SIP_OUTBOUND_PASSWORD', randomBytes(12).toString('base64url')),
  TOWN_HALL_PIN: demoSecret('TOWN_HALL_PIN', String(100000 + randomInt(900000))),
  REC_AK: demoSecret('REC_AK', `demo-${randomBytes(6).toString('hex')}`),
  REC_SK: demoSecret('REC_SK', randomBytes(18).toString('base64url')),
};
process.stdout.write(`livekit-server ${lk.version} on ${lk.url} (Redis ${lk.redisAddress})\n`);

let daemon: ChildProcess | undefined;
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    step('Stopping: participants, the daemon (SIGTERM: drains and releases its lock), the server');
    await disconnectAll();
    await disposeRtc();
    if (daemon && daemon.exitCode === null) {
      const exited = new Promise((r) => daemon?.once('exit', r));
      daemon.kill('SIGTERM');
      await exited;
    }
    await lk.stop();
    process.stdout.write(`State and status files are in .demo/ (try: cat .demo/status/*.yaml)\n`);
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function run(args: string[]): Promise<number | null> {
  process.stdout.write(`$ livekit-gitops ${args.join(' ')}\n`);
  const child = spawnCli(args, { cwd: work, env });
  child.stdout?.pipe(process.stdout);
  child.stderr?.pipe(process.stderr);
  return (await collect(child, 120_000)).code;
}

try {
  step('Validate the example specs');
  if ((await run(['validate', specs])) !== 0) await shutdown(1);
  step('Plan: what would change (nothing is changed yet)');
  await run(['plan', specs]);
  step('Apply');
  if ((await run(['apply', specs, '--auto-approve'])) !== 0) await shutdown(1);
  step('Plan again: LiveKit now matches the specs');
  await run(['plan', specs, '--detailed-exitcode']);

  step(`Starting the daemon on ${listen} (dashboard: http://${listen}/, logs in .demo/daemon.log)`);
  daemon = spawn(
    process.execPath,
    [join(root, 'src/cli/main.ts'), 'daemon', specs, '--listen', listen, '--interval', '30s'],
    { cwd: work, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const { createWriteStream } = await import('node:fs');
  daemon.stderr?.pipe(createWriteStream(join(work, 'daemon.log')));
  await waitReady(`http://${listen}/readyz`);
  process.stdout.write(`daemon ready: http://${listen}/healthz, /readyz, /metrics\n`);

  step('Real participants join (rtc-node): the daemon folds webhooks into status/ and moderates');
  const server = { wsUrl: lk.wsUrl, apiKey: lk.apiKey, apiSecret: lk.apiSecret };
  // Best effort: a participant that fails to join is reported, the demo goes on. Guests in the
  // town hall join without publishing: its rule takes publishing from them as they arrive.
  const tryJoin = async (opts: Parameters<typeof joinParticipant>[1]): Promise<void> => {
    await joinParticipant(server, opts).catch((err: unknown) => {
      process.stdout.write(`(${opts.identity} could not join: ${String(err)})\n`);
    });
  };
  await tryJoin({ room: 'lobby', identity: 'alice', publishAudio: true });
  await tryJoin({ room: 'lobby', identity: 'bob' });
  await tryJoin({ room: 'town-hall', identity: 'host-ada', attributes: { role: 'host' } });
  await tryJoin({ room: 'town-hall', identity: 'guest-carol' });
  await tryJoin({ room: 'town-hall', identity: 'banned-troll' });
  process.stdout.write(
    'alice and bob in lobby; host-ada (host), guest-carol and banned-troll in town-hall\n',
  );

  step('Status (refreshed every 10 s; Ctrl-C to stop)');
  const started = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 2_000));
    await run(['status', '--status-dir', 'status']);
    if (seconds > 0 && Date.now() - started >= seconds * 1000) break;
    await new Promise((r) => setTimeout(r, 8_000));
  }
  await shutdown(0);
} catch (err) {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown(1);
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`daemon not ready at ${url} after 30 s (see .demo/daemon.log)`);
}
