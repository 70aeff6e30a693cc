#!/usr/bin/env node
// Installed entry point: runs the compiled CLI. `npm pack` (and so ./scripts/install.sh) builds
// dist/; in a clone, `npm run build` does. An older Node would fail inside the CLI with an error
// that names neither the cause nor the fix, so the version is checked first.
import process from 'node:process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `livekit-gitops needs Node.js >= 22.12; this is v${process.versions.node} (${process.execPath}).\n` +
      'Install a current Node (https://nodejs.org, or nvm/fnm) and put it first on PATH.\n',
  );
  process.exit(1);
}
await import('../dist/cli/main.js');
