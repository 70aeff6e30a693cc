import { Cron } from 'croner';
import type { Diagnostic } from '../../core/diagnostics.ts';
import { parseDuration } from '../duration.ts';
import type { PathSegment } from '../positions.ts';
import type { LoadedSpec } from '../types.ts';
import { at, type SemanticContext } from './context.ts';

interface Window {
  start: string;
  duration: string;
  timezone?: string;
}

// Specs repeat the same few zones and expressions; building Intl formatters and Cron objects is not free.
const zones = new Map<string, boolean>();
const crons = new Map<string, string | undefined>();

/** Whether Intl knows the IANA zone. */
export function isTimeZone(zone: string): boolean {
  const known = zones.get(zone);
  if (known !== undefined) return known;
  let ok = true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    ok = false;
  }
  zones.set(zone, ok);
  return ok;
}

/** Why a cron expression is unusable, or undefined when it is a valid 5-field expression. */
export function cronProblem(expr: string): string | undefined {
  if (crons.has(expr)) return crons.get(expr);
  const problem = checkCron(expr);
  crons.set(expr, problem);
  return problem;
}

function checkCron(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `'${expr}' has ${fields.length} fields; a schedule start needs 5 (minute hour day month weekday)`;
  }
  try {
    new Cron(expr, { paused: true });
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^CronPattern: /, '') : String(err);
    return `'${expr}' is not a valid cron expression: ${reason}`;
  }
}

function checkWindows(
  spec: LoadedSpec,
  base: PathSegment[],
  windows: readonly Window[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  windows.forEach((w, i) => {
    const p = [...base, i];
    const cron = cronProblem(w.start);
    if (cron) out.push(at(spec, [...p, 'start'], 'E_CRON', cron));
    if (w.timezone !== undefined && !isTimeZone(w.timezone)) {
      out.push(
        at(
          spec,
          [...p, 'timezone'],
          'E_TIMEZONE',
          `'${w.timezone}' is not an IANA time zone`,
          'e.g. Europe/Paris, America/New_York, UTC',
        ),
      );
    }
    if (parseDuration(w.duration) === 0) {
      out.push(at(spec, [...p, 'duration'], 'E_DURATION', 'a window must last longer than 0'));
    }
  });
  return out;
}

/** Cron expressions, time zones and durations that the schema's shape cannot judge. */
export function schedules(ctx: SemanticContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const spec of ctx.specs) {
    if (spec.kind === 'Room' && spec.spec.schedule) {
      out.push(...checkWindows(spec, ['spec', 'schedule'], spec.spec.schedule));
    }
    if (spec.kind === 'RecordingPolicy' && spec.spec.when?.schedule) {
      out.push(...checkWindows(spec, ['spec', 'when', 'schedule'], spec.spec.when.schedule));
    }
    if (spec.kind === 'Role' && spec.spec.ttl !== undefined && parseDuration(spec.spec.ttl) === 0) {
      out.push(at(spec, ['spec', 'ttl'], 'E_DURATION', 'ttl must be longer than 0'));
    }
  }
  return out;
}
