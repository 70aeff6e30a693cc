/**
 * Runs a composite action's `run:` steps the way the Actions runner does: `${{ }}` expressions
 * (inputs, github.*, steps.*.outputs.*), `if:` conditions with success()/always(), GITHUB_OUTPUT
 * and GITHUB_ENV files, bash with `-e` semantics per step. `uses:` steps are skipped (the test
 * machine already has Node); steps named in `skip` too (e.g. the npm install).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface ActionStep {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

interface ActionInput {
  default?: string;
}

export interface StepResult {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunActionOptions {
  actionFile: string;
  inputs: Record<string, string>;
  /** The environment GitHub sets (GITHUB_*), plus anything the steps need (LKG_CLI, PATH). */
  env: Record<string, string>;
  /** The event payload the `github.event` context exposes. */
  event: unknown;
  cwd: string;
  /** A scratch dir for the GITHUB_OUTPUT / GITHUB_ENV files. */
  workDir: string;
  skip?: string[];
}

type Ctx = Record<string, unknown>;

/** Async on purpose: the GitHub stand-in the steps talk to runs in this same process. */
export async function runCompositeAction(
  opts: RunActionOptions,
): Promise<{ steps: StepResult[]; failed: boolean }> {
  const action = parse(readFileSync(opts.actionFile, 'utf8')) as {
    inputs?: Record<string, ActionInput>;
    runs: { steps: ActionStep[] };
  };
  const inputs: Record<string, string> = {};
  const github: Ctx = { token: opts.env['GITHUB_TOKEN'] ?? '', event: opts.event };
  const ctx: Ctx = { inputs, github, steps: {} };
  for (const [name, def] of Object.entries(action.inputs ?? {}))
    inputs[name] = opts.inputs[name] ?? expand(def.default ?? '', ctx);
  const envFile: Record<string, string> = {};
  const results: StepResult[] = [];
  let failed = false;
  for (const [i, step] of action.runs.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${i}`;
    const cond = step.if ?? 'success()';
    const run = !step.uses && !opts.skip?.includes(name) && evaluate(cond, ctx, failed);
    if (!run || !step.run) {
      results.push({ name, outcome: 'skipped', code: 0, stdout: '', stderr: '' });
      continue;
    }
    const outFile = join(opts.workDir, `output-${i}`);
    const envOut = join(opts.workDir, `env-${i}`);
    writeFileSync(outFile, '');
    writeFileSync(envOut, '');
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = expand(String(v), ctx);
    const res = await runBash(step.run, opts.cwd, {
      ...opts.env,
      ...envFile,
      ...stepEnv,
      GITHUB_OUTPUT: outFile,
      GITHUB_ENV: envOut,
    });
    Object.assign(envFile, readKeyValues(envOut));
    if (step.id) (ctx['steps'] as Ctx)[step.id] = { outputs: readKeyValues(outFile) };
    const code = res.code;
    if (code !== 0) failed = true;
    results.push({
      name,
      outcome: code === 0 ? 'success' : 'failure',
      code,
      stdout: res.stdout,
      stderr: res.stderr,
    });
  }
  return { steps: results, failed };
}

function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function readKeyValues(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

function lookup(path: string, ctx: Ctx): unknown {
  let cur: unknown = ctx;
  for (const part of path.split('.'))
    cur = cur && typeof cur === 'object' ? (cur as Ctx)[part] : undefined;
  return cur;
}

function expand(text: string, ctx: Ctx): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const v = lookup(expr, ctx);
    if (v === undefined || v === null) return '';
    if (typeof v === 'string') return v;
    return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  });
}

/** `a == 'x' && (b == 'y' || c != 'z')`, `always()`, `success()`, `failure()`: what action.yml uses. */
function evaluate(cond: string, ctx: Ctx, failed: boolean): boolean {
  const tokens =
    cond
      .replace(/^\$\{\{|\}\}$/g, '')
      .match(/'[^']*'|&&|\|\||==|!=|[()]|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*/g) ?? [];
  let pos = 0;
  const usesStatus = tokens.some((t) => /^(always|success|failure)\(\)$/.test(t));
  const value = (): unknown => {
    const t = tokens[pos++] ?? '';
    if (t === '(') {
      const v = or();
      pos++;
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1);
    if (t === 'always()') return true;
    if (t === 'success()') return !failed;
    if (t === 'failure()') return failed;
    const v = lookup(t, ctx);
    return v === undefined || v === null ? '' : v;
  };
  const cmp = (): unknown => {
    const left = value();
    const op = tokens[pos];
    if (op !== '==' && op !== '!=') return left;
    pos++;
    const right = value();
    return op === '==' ? String(left) === String(right) : String(left) !== String(right);
  };
  const and = (): unknown => {
    let v = cmp();
    while (tokens[pos] === '&&') {
      pos++;
      const r = cmp();
      v = Boolean(v) && Boolean(r);
    }
    return v;
  };
  const or = (): unknown => {
    let v = and();
    while (tokens[pos] === '||') {
      pos++;
      const r = and();
      v = Boolean(v) || Boolean(r);
    }
    return v;
  };
  const result = Boolean(or());
  // Like the runner: without a status function, a step runs only while nothing has failed.
  return usesStatus ? result : result && !failed;
}
