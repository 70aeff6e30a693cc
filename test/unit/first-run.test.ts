/** What a new user meets first: an old Node on PATH, and a LiveKit dev server without Redis. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/errors-to-exit.ts';
import { LiveKitError } from '../../src/core/errors.ts';

const bin = fileURLToPath(new URL('../../bin/livekit-gitops.js', import.meta.url));

describe('first run', () => {
  it('the installed command refuses a Node older than 22.12 and says what to do', () => {
    const old =
      'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.11.0"})';
    const r = spawnSync(process.execPath, ['--import', old, bin, '--version'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('livekit-gitops needs Node.js >= 22.12; this is v20.11.0');
    expect(r.stderr).toContain('put it first on PATH');
  });

  it('a server without Redis gets a hint naming the kinds that need it', () => {
    const err = new LiveKitError(
      'internal',
      'Ingress.ListIngress',
      'twirp error unknown: ingress not connected (redis required)',
    );
    const { exitCode, message } = reportError(err, false);
    expect(exitCode).toBe(1);
    expect(message).toMatch(
      /^Error: LiveKit internal: Ingress\.ListIngress: .*\(redis required\)\n/,
    );
    expect(message).toContain('Ingress, SIP and RecordingPolicy specs need one');
    const other = reportError(new LiveKitError('not_found', 'RoomService.X', 'nope'), false);
    expect(other.message).toBe('Error: LiveKit not_found: RoomService.X: nope');
  });
});
