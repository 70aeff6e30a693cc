#!/usr/bin/env node
import { createInterface } from 'node:readline/promises';
import { run } from './program.ts';
import type { CliIO } from './io.ts';

const io: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  stdinIsTTY: process.stdin.isTTY === true,
  async prompt(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
  env: process.env,
  cwd: process.cwd(),
};

process.exitCode = await run(process.argv.slice(2), io);
