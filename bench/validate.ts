// Validate time and peak memory for 10,000 Room specs across 100 files.
// Run: node bench/validate.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSpecs } from '../src/spec/load.ts';
import { SMOKE } from './smoke.ts';

const FILES = SMOKE ? 2 : 100;
const PER_FILE = SMOKE ? 5 : 100;

const dir = mkdtempSync(path.join(tmpdir(), 'lkg-bench-validate-'));
try {
  for (let f = 0; f < FILES; f++) {
    const docs: string[] = [];
    for (let i = 0; i < PER_FILE; i++) {
      const n = f * PER_FILE + i;
      docs.push(
        [
          '# yaml-language-server: $schema=../schemas/spec.json',
          'apiVersion: livekit-gitops/v1',
          'kind: Room',
          'metadata:',
          `  name: room-${n}`,
          `  labels: { team: team-${n % 10} }`,
          'spec:',
          '  emptyTimeout: 86400',
          '  departureTimeout: 600',
          `  maxParticipants: ${10 + (n % 90)}`,
          `  metadata: { topic: "room ${n}", tier: gold }`,
          '  agents: [{ agentName: assistant }]',
          '  schedule:',
          "    - { start: '0 9 * * 1-5', duration: 8h, timezone: Europe/Paris }",
          '  lifecycle: { onOccupied: wait }',
        ].join('\n'),
      );
    }
    writeFileSync(
      path.join(dir, `rooms-${String(f).padStart(3, '0')}.yaml`),
      docs.join('\n---\n') + '\n',
    );
  }

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = performance.now();
  const result = await loadSpecs(['.'], { cwd: dir });
  const ms = performance.now() - start;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  console.log(`specs: ${result.specs.length} in ${result.files.length} files, errors: ${errors}`);
  console.log(
    `validate: ${ms.toFixed(0)} ms (${((ms / result.specs.length) * 1000).toFixed(0)} µs/spec)`,
  );
  console.log(`peak RSS: ${(peak / 1024 / 1024).toFixed(0)} MiB`);
  if (result.specs.length !== FILES * PER_FILE || errors > 0) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
