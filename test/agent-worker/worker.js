// A real LiveKit Agents worker for the agent dispatch tests: it registers with the server under
// LKG_AGENT_NAME (explicit dispatch only), accepts every job, prints one JSON line per job it was
// offered (with the dispatch's metadata), and its job joins the room as an AGENT participant and
// stays until the dispatch is deleted or the room ends.
//
// Run as `node worker.js start` with LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET,
// LKG_AGENT_NAME and LKG_HTTP_PORT (the worker's health port; the default 8081 would collide
// between parallel workers). Lines meant for the harness carry `"lkg": true`.
import { cli, defineAgent, ServerOptions } from '@livekit/agents';
import { fileURLToPath } from 'node:url';

function report(event, fields) {
  process.stdout.write(`${JSON.stringify({ lkg: true, event, ts: Date.now(), ...fields })}\n`);
}

export default defineAgent({
  entry: async (ctx) => {
    await ctx.connect();
    // Runs in the job's own process; its stdout is the worker's, so the harness sees this too.
    report('joined', {
      jobId: ctx.job.id,
      room: ctx.room.name,
      identity: ctx.agent?.identity ?? '',
    });
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const agentName = process.env.LKG_AGENT_NAME ?? '';
  if (!agentName) throw new Error('LKG_AGENT_NAME is required');
  cli.runApp(
    new ServerOptions({
      agent: fileURLToPath(import.meta.url),
      agentName,
      port: Number(process.env.LKG_HTTP_PORT ?? '0'),
      host: '127.0.0.1',
      // The machine is shared and busy: never report load, so the server always offers jobs here.
      loadFunc: async () => 0,
      loadThreshold: 1,
      numIdleProcesses: 1,
      drainTimeout: 2_000,
      shutdownProcessTimeout: 5_000,
      requestFunc: async (req) => {
        report('job', {
          jobId: req.id,
          room: req.room?.name ?? '',
          agentName: req.agentName,
          metadata: req.job.metadata,
          dispatchId: req.job.dispatchId,
        });
        await req.accept();
      },
    }),
  );
}
