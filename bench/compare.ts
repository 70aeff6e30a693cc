/**
 * Side by side, in one run: the seed's Python control plane (livekit-api; Flask under gunicorn for
 * webhooks), a plain Node livekit-server-sdk loop, and livekit-gitops, each a whole process on a
 * fresh livekit-server with Redis. Prints medians and ratios; the last line is `RESULT {json}`.
 *
 *   node bench/compare.ts            full: 1,000 rooms at concurrency 1, 8, 32; plan of 1,000 and
 *                                    5,000; 5,000 webhooks at 32 in parallel; median of 3
 *   node bench/compare.ts --smoke    tiny N, one run, no Python peers (the test suite runs this)
 *
 * Options: --runs N, --rooms N, --sections apply,plan,startup,webhooks, --cli bin|src (bin: the
 * built package as installed, the default; src: the sources), --no-python.
 * The Python peers live in bench/peers and run in .bench/venv (made on first use, from PyPI).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { liveKitServerVersion } from '../test/harness/livekit-server.ts';
import { ROOT, type CliFlavour } from './compare/contenders.ts';
import { millis, ratio, seconds, timeProcess } from './compare/processes.ts';
import { ensurePythonEnv } from './compare/python-env.ts';
import * as sections from './compare/sections.ts';

const { values: opts } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    rooms: { type: 'string' },
    sections: { type: 'string', default: 'apply,plan,startup,webhooks' },
    cli: { type: 'string' },
    'no-python': { type: 'boolean', default: false },
  },
});
const smoke = opts.smoke;
const wanted = new Set(opts.sections.split(','));
const flavour = (opts.cli ?? (smoke ? 'src' : 'bin')) as CliFlavour;
if (flavour === 'bin' && !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('building (npm run build) for the installed entry point');
  await timeProcess({ cmd: 'npm', args: ['run', 'build'], cwd: ROOT });
}
const python = smoke || opts['no-python'] ? undefined : await ensurePythonEnv(ROOT);
const rooms = Number(opts.rooms ?? (smoke ? 10 : 1000));
const settings: sections.Settings = {
  rooms,
  concurrencies: smoke ? [8] : [1, 8, 32],
  planRooms: smoke ? [rooms] : [rooms, 5 * rooms],
  runs: Number(opts.runs ?? (smoke ? 1 : 3)),
  warmup: !smoke,
  events: smoke ? 200 : 5000,
  parallel: 32,
  cli: flavour,
  ...(python ? { python } : {}),
};

console.log(
  `livekit-server ${await liveKitServerVersion()}, Node ${process.version}, CLI ${flavour}, ` +
    `median of ${settings.runs}${python ? '' : ', without the Python peers'}`,
);
const result: Record<string, unknown> = { settings: { ...settings, python: Boolean(python) } };

if (wanted.has('apply')) {
  const rows = await sections.applySection(settings);
  result['apply'] = rows;
  console.log(`\napply of ${rooms} rooms (whole process)`);
  console.log('| concurrency | Python livekit-api loop | Node SDK loop | livekit-gitops apply |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    const py = r.pythonMs !== undefined ? seconds(r.pythonMs) : '-';
    const vsPy = r.pythonMs !== undefined ? `${ratio(r.cliMs, r.pythonMs)} Python, ` : '';
    console.log(
      `| ${r.concurrency} | ${py} | ${seconds(r.nodeMs)} | ${seconds(r.cliMs)} (${vsPy}${ratio(r.cliMs, r.nodeMs)} Node) |`,
    );
  }
}

if (wanted.has('plan')) {
  const rows = await sections.planSection(settings);
  result['plan'] = rows;
  console.log('\nplan with nothing to change vs one list_rooms call (whole process)');
  console.log('| rooms | Python list_rooms | Node listRooms | livekit-gitops plan |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    const py = r.pythonListMs !== undefined ? seconds(r.pythonListMs) : '-';
    const vsPy =
      r.pythonListMs !== undefined ? `${ratio(r.cliPlanMs, r.pythonListMs)} Python, ` : '';
    console.log(
      `| ${r.rooms} | ${py} | ${seconds(r.nodeListMs)} | ${seconds(r.cliPlanMs)} (${vsPy}${ratio(r.cliPlanMs, r.nodeListMs)} Node) |`,
    );
  }
}

if (wanted.has('startup')) {
  const rows = await sections.startupSection(settings);
  result['startup'] = rows;
  console.log('\nstart-up (whole process)');
  for (const r of rows) console.log(`| ${r.what} | ${millis(r.ms)} |`);
}

if (wanted.has('webhooks')) {
  const rows = await sections.webhookSection(settings);
  result['webhooks'] = rows;
  console.log(`\nwebhooks: ${settings.events} signed events, ${settings.parallel} in parallel`);
  console.log('| receiver | events/s | p50 | p99 |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    const { eventsPerSecond, p50Ms, p99Ms } = r.result;
    console.log(
      `| ${r.receiver} | ${eventsPerSecond} | ${p50Ms.toFixed(1)} ms | ${p99Ms.toFixed(1)} ms |`,
    );
  }
  const [ours, flask] = rows;
  if (ours && flask) {
    console.log(
      `daemon / Flask throughput: ${ratio(ours.result.eventsPerSecond, flask.result.eventsPerSecond)}`,
    );
  }
}

console.log(`RESULT ${JSON.stringify(result)}`);
