import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAllTargets, loadProject } from '../../../src/app/project.ts';
import { formatDiagnostic } from '../../../src/core/diagnostics.ts';
import { patchSets } from '../../../src/spec/overlay.ts';
import { writeFiles } from '../../harness/cli.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lkg-targets-'));
  dirs.push(dir);
  await writeFiles(dir, files);
  return dir;
}

const CONFIG = `targets:
  staging:
    overlays: [targets/staging]
  prod:
    livekit: { urlEnv: PROD_URL, apiKeyEnv: PROD_KEY, apiSecretEnv: PROD_SECRET }
    overlays: [targets/prod]
`;

const BASE = `apiVersion: livekit-gitops/v1
kind: Room
metadata:
  name: lobby
  labels: { team: core }
spec:
  maxParticipants: 10
  emptyTimeout: 600
  metadata: { topic: lobby }
---
apiVersion: livekit-gitops/v1
kind: Room
metadata:
  name: prod-only
  targets: [prod]
spec: {}
`;

function byName(specs: { kind: string; name: string; spec: unknown; labels: unknown }[]) {
  return Object.fromEntries(specs.map((s) => [s.name, { spec: s.spec, labels: s.labels }]));
}

describe('targets and overlays', () => {
  it('patches base documents per target (RFC 7386), adds overlay-only ones, honours metadata.targets', async () => {
    const cwd = await workspace({
      'livekit-gitops.yaml': CONFIG,
      'rooms/base.yaml': BASE,
      'targets/staging/lobby.yaml': `kind: Room
metadata: { name: lobby }
spec:
  maxParticipants: 3
  emptyTimeout: null
`,
      'targets/staging/extra.yaml': `apiVersion: livekit-gitops/v1
kind: Room
metadata: { name: staging-sandbox }
spec: {}
`,
      'targets/prod/lobby.yaml': `kind: Room
metadata: { name: lobby, labels: { tier: gold } }
spec: { metadata: { topic: lobby, live: true } }
`,
    });
    const [staging, prod] = await loadAllTargets({ cwd, env: {} });
    expect(staging!.diagnostics).toEqual([]);
    expect(prod!.diagnostics).toEqual([]);
    expect(byName(staging!.specs)).toEqual({
      lobby: {
        spec: { maxParticipants: 3, metadata: { topic: 'lobby' } },
        labels: { team: 'core' },
      },
      'staging-sandbox': { spec: {}, labels: {} },
    });
    expect(byName(prod!.specs)).toEqual({
      lobby: {
        spec: { maxParticipants: 10, emptyTimeout: 600, metadata: { topic: 'lobby', live: true } },
        labels: { team: 'core', tier: 'gold' },
      },
      'prod-only': { spec: {}, labels: {} },
    });
    // Each target has its own state and connection variables.
    expect(staging!.config.stateDir).toBe('.livekit-gitops/staging');
    expect(prod!.config.stateDir).toBe('.livekit-gitops/prod');
    expect(prod!.target.livekit).toEqual({
      urlEnv: 'PROD_URL',
      apiKeyEnv: 'PROD_KEY',
      apiSecretEnv: 'PROD_SECRET',
    });
    expect(staging!.target.livekit.urlEnv).toBe('LIVEKIT_URL');
    expect(staging!.specHash).not.toBe(prod!.specHash);
  });

  it('reports a value an overlay made invalid at the overlay line, and a base error at the base line', async () => {
    const cwd = await workspace({
      'livekit-gitops.yaml': CONFIG,
      'rooms/base.yaml': BASE,
      'targets/staging/lobby.yaml': `kind: Room
metadata: { name: lobby }
spec:
  maxParticipants: -1
  maxParticipnts: 4
`,
      'targets/prod/empty.yaml': '# nothing for prod\n',
    });
    const [staging, prod] = await loadAllTargets({ cwd, env: {} });
    expect(prod!.diagnostics.map((d) => d.code)).toEqual(['W_EMPTY_FILE']);
    const lines = staging!.diagnostics.map((d) => formatDiagnostic(d));
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('targets/staging/lobby.yaml:4:20  E_SCHEMA_RANGE');
    expect(lines.join('\n')).toContain(
      "targets/staging/lobby.yaml:5:3  E_UNKNOWN_FIELD  spec: unknown field 'maxParticipnts'",
    );
  });

  it('points at the base file for values the overlay did not set', async () => {
    const cwd = await workspace({
      'livekit-gitops.yaml': CONFIG,
      'rooms/base.yaml': BASE.replace('emptyTimeout: 600', 'emptyTimeout: -5'),
      'targets/prod/lobby.yaml': `kind: Room
metadata: { name: lobby }
spec: { maxParticipants: 20 }
`,
    });
    const prod = await loadProject({ cwd, env: {}, target: 'prod' });
    expect(prod.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      expect.stringMatching(/^rooms\/base\.yaml:8:17 {2}E_SCHEMA_RANGE/),
    ]);
  });

  it('rejects metadata.targets naming an unknown target, an unparsable overlay and a missing overlay directory', async () => {
    const cwd = await workspace({
      'livekit-gitops.yaml': CONFIG + '  qa:\n    overlays: [targets/qa]\n',
      'rooms/base.yaml': BASE.replace('targets: [prod]', 'targets: [prod, prdo]'),
      'targets/staging/broken.yaml': 'kind: Room\nmetadata: { name: lobby\n',
    });
    const all = await loadAllTargets({ cwd, env: {} });
    const text = all.flatMap((p) => p.diagnostics.map((d) => formatDiagnostic(d))).join('\n');
    expect(text).toMatch(/rooms\/base\.yaml:15:19 {2}E_UNKNOWN_TARGET {2}unknown target "prdo"/);
    expect(text).toMatch(/targets\/staging\/broken\.yaml:\d+:\d+ {2}E_YAML_SYNTAX/);
    expect(text).toMatch(/targets\/qa {2}E_NOT_FOUND/);
  });

  it('knows the targets: an unknown --target lists them; several targets need one', async () => {
    const cwd = await workspace({ 'livekit-gitops.yaml': CONFIG, 'rooms/base.yaml': BASE });
    await expect(loadProject({ cwd, env: {}, target: 'qa' })).rejects.toThrow(
      'unknown target "qa"; the targets are: staging, prod',
    );
    await expect(loadProject({ cwd, env: {} })).rejects.toThrow(/pick one with --target/);
  });

  it('without targets: one implicit target, the top-level config, --target a label only', async () => {
    const cwd = await workspace({ 'rooms/base.yaml': BASE.replace(/\n {2}targets: \[prod\]/, '') });
    const p = await loadProject({ cwd, env: {}, target: 'anything' });
    expect(p.diagnostics).toEqual([]);
    expect(p.config.declaredTargets).toBe(false);
    expect(p.config.stateDir).toBe('.livekit-gitops');
    expect(p.config.statusDir).toBe('status');
    expect(p.target.livekit.urlEnv).toBe('LIVEKIT_URL');
    expect(p.specs.map((s) => s.name)).toEqual(['lobby', 'prod-only']);
  });

  it('validates the targets section: bad names, two targets on one state, redis without address', async () => {
    const cwd = await workspace({
      'livekit-gitops.yaml': `targets:
  a:
    state: { dir: shared }
  b:
    state: { dir: shared }
  c:
    state: { backend: redis }
`,
      'rooms/base.yaml': BASE,
    });
    const p = await loadProject({ cwd, env: {}, target: 'a' });
    const text = p.diagnostics.map((d) => formatDiagnostic(d)).join('\n');
    expect(text).toMatch(
      /livekit-gitops\.yaml:5:12 {2}E_SHARED_STATE {2}targets a and b share one state/,
    );
    expect(text).toMatch(/livekit-gitops\.yaml:7:12 {2}E_MISSING_FIELD {2}target c: the redis/);
    const bad = await workspace({ 'livekit-gitops.yaml': 'targets:\n  "bad name": {}\n' });
    const q = await loadProject({ cwd: bad, env: {} });
    expect(q.diagnostics.map((d) => formatDiagnostic(d))[0]).toMatch(
      /livekit-gitops\.yaml:2:3 {2}E_UNKNOWN_FIELD/,
    );
  });

  it('--all-targets reads and checks the shared base once: unpatched specs are the same objects', async () => {
    const cwd = await workspace({
      'livekit-gitops.yaml': CONFIG,
      'rooms/base.yaml': BASE.replace(/\n {2}targets: \[prod\]/, ''),
      'targets/staging/lobby.yaml':
        'kind: Room\nmetadata: { name: lobby }\nspec: { maxParticipants: 3 }\n',
      'targets/prod/empty.yaml': '# nothing\n',
    });
    const [staging, prod] = await loadAllTargets({ cwd, env: {} });
    const find = (p: typeof staging, name: string) => p!.specs.find((s) => s.name === name);
    expect(find(staging, 'prod-only')).toBe(find(prod, 'prod-only'));
    expect(find(staging, 'lobby')).not.toBe(find(prod, 'lobby'));
    expect(find(prod, 'lobby')?.spec).toMatchObject({ maxParticipants: 10 });
  });

  it('patchSets: a path the patch sets, deletes or replaces wholesale', () => {
    const patch = { spec: { a: 1, b: null, c: [1] } };
    expect(patchSets(patch, ['spec', 'a'])).toBe(true);
    expect(patchSets(patch, ['spec', 'b'])).toBe(true);
    expect(patchSets(patch, ['spec', 'c', 0])).toBe(true);
    expect(patchSets(patch, ['spec', 'd'])).toBe(false);
    expect(patchSets(patch, ['metadata'])).toBe(false);
  });
});
