/**
 * Every registered kind is complete, and every kind folder is registered. A kind that misses a
 * piece fails here with a message naming it (docs/architecture.md, "How to add a kind").
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMPORT_KINDS } from '../../../src/app/import-map.ts';
import { KIND_MODULES } from '../../../src/kinds/index.ts';
import { isKind } from '../../../src/spec/kind-names.ts';
import { DOCUMENT_SCHEMAS } from '../../../src/spec/kinds.ts';
import { kebab } from '../../../src/spec/spec-constants.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

/**
 * The test proving "apply, then the plan is empty" for each reconciled kind. A new kind adds its
 * own test and names it here.
 */
const CONVERGENCE_TESTS: Record<string, string> = {
  Room: 'test/integration/plan-apply/rooms.test.ts',
  ModerationRule: 'test/unit/moderation/execute.test.ts',
  RecordingPolicy: 'test/unit/recording/apply-then-plan.test.ts',
  SIPInboundTrunk: 'test/unit/persistent/apply-cycle.test.ts',
  SIPOutboundTrunk: 'test/unit/persistent/apply-cycle.test.ts',
  SIPDispatchRule: 'test/unit/persistent/apply-cycle.test.ts',
  Ingress: 'test/unit/persistent/apply-cycle.test.ts',
  AgentPolicy: 'test/unit/agents/apply-then-plan.test.ts',
};

/** Folders under src/kinds that hold shared code, not a kind. */
const SHARED_FOLDERS = new Set(['sip-common']);

const examples = readdirSync(`${root}rooms`)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => read(`rooms/${f}`))
  .join('\n');

/** What a kind misses, as messages; empty when it is complete. */
function missing(m: (typeof KIND_MODULES)[number]): string[] {
  const out: string[] = [];
  const k = m.kind;
  if (!isKind(k) || DOCUMENT_SCHEMAS[k] === undefined)
    out.push(`${k}: no document schema in src/spec/kinds.ts`);
  if (!existsSync(`${root}schemas/${kebab(k)}.json`))
    out.push(`${k}: no schemas/${kebab(k)}.json (run npm run schemas)`);
  if (!existsSync(`${root}${m.docs}`)) out.push(`${k}: docs page ${m.docs} does not exist`);
  else if (!read(m.docs).includes(k)) out.push(`${k}: docs page ${m.docs} never names the kind`);
  if (!new RegExp(`^kind: ${k}$`, 'm').test(examples)) out.push(`${k}: no example in rooms/`);
  if (!(IMPORT_KINDS as readonly string[]).includes(k) && !m.notImportable)
    out.push(`${k}: import cannot read it back and notImportable gives no reason`);
  if (m.notReconciled !== undefined) {
    if (m.observe || m.settle || m.plan || m.execute)
      out.push(`${k}: notReconciled, yet it observes, plans or executes`);
    return out;
  }
  if (!m.plan) out.push(`${k}: no planner (plan)`);
  if (!m.execute) out.push(`${k}: no executor (execute)`);
  if (!m.observe) out.push(`${k}: observes nothing (observe)`);
  const test = CONVERGENCE_TESTS[k];
  if (test === undefined) {
    out.push(`${k}: no "apply, then plan is empty" test named in CONVERGENCE_TESTS`);
  } else if (!existsSync(`${root}${test}`)) {
    out.push(`${k}: its convergence test ${test} does not exist`);
  } else if (!/then plans nothing|plan is empty|plan has no changes/.test(read(test))) {
    out.push(`${k}: ${test} has no "apply, then plan is empty" test`);
  }
  return out;
}

describe('kinds/index registry', () => {
  it.each(KIND_MODULES.map((m) => [m.kind, m] as const))('%s is complete', (_kind, m) => {
    expect(missing(m)).toEqual([]);
  });

  it('lists every kind folder once, and every spec kind', () => {
    const folders = readdirSync(`${root}src/kinds`, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !SHARED_FOLDERS.has(d.name))
      .map((d) => d.name)
      .sort();
    const registered = KIND_MODULES.map((m) => m.kind);

    expect(new Set(registered).size).toBe(registered.length);
    expect(registered.map(kebab).sort()).toEqual(folders);
    expect([...registered].sort()).toEqual(Object.keys(DOCUMENT_SCHEMAS).sort());
  });

  it('orders every kind after the kinds it depends on', () => {
    const index = new Map(KIND_MODULES.map((m, i) => [m.kind, i]));
    const late = KIND_MODULES.flatMap((m, i) =>
      (m.dependsOn ?? [])
        .filter((d) => (index.get(d) ?? Infinity) >= i)
        .map((d) => `${m.kind} is listed before ${d}, which it depends on`),
    );

    expect(late).toEqual([]);
  });
});
