// A separate process for the contract suite: takes the state lock (and optionally writes in a
// loop) until the parent SIGKILLs it, to prove a dead holder's lock lapses and no torn state
// is ever visible. Argument: JSON {config, cwd, mode: 'hold' | 'write-loop'}.
import { openStateBackend, type StateConfig } from '../../src/adapters/state/open-backend.ts';

interface ChildArgs {
  config: StateConfig;
  cwd: string;
  mode: 'hold' | 'write-loop';
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const backend = openStateBackend(args.config, args.cwd);
const lock = await backend.acquireLock({ operation: 'apply', who: 'child@test' });
process.stdout.write(`LOCKED ${lock.id}\n`);
// Keeps the process alive until it is killed.
setInterval(() => undefined, 60_000);
if (args.mode === 'write-loop') {
  // Large documents make a torn write likely if writes were not atomic.
  const filler = 'x'.repeat(200);
  for (let i = 0; ; i++) {
    const doc = await lock.update((d) => {
      for (let k = 0; k < 500; k++) {
        d.owned[`room.r${k}`] = {
          address: `room.r${k}`,
          kind: 'Room',
          name: `r${k}`,
          specHash: `${i}-${filler}`,
          since: '2025-01-01T00:00:00.000Z',
        };
      }
    });
    process.stdout.write(`WROTE ${doc.serial}\n`);
  }
}
