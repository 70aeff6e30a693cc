#!/usr/bin/env node
// Installed entry point: runs the compiled CLI. `npm pack` (and so ./scripts/install.sh) builds
// dist/; in a clone, `npm run build` does.
await import('../dist/cli/main.js');
