/** Sinks with their secrets resolved: done at the boundary (the CLI), handed to the daemon. */
import type { NotificationsInput } from '../../spec/config-schema.ts';
import { NOTIFY_EVENTS } from '../../spec/config-notifications-schema.ts';
import { parseDuration } from '../../spec/duration.ts';
import type { NotifyEventType } from './events.ts';

export interface SinkSettings {
  name: string;
  kind: 'slack' | 'webhook';
  url: string;
  /** The HMAC key of a JSON webhook. */
  secret?: string;
  events: ReadonlySet<NotifyEventType>;
  rooms?: readonly string[];
  dedupMs: number;
  ratePerMinute: number;
  retries: number;
}

export interface ResolvedSinks {
  sinks: SinkSettings[];
  /** Every resolved value, for scrubbing messages. */
  secrets: string[];
  /** Environment variable names that were unset. */
  missing: string[];
}

export function resolveSinks(
  input: NotificationsInput | undefined,
  env: Record<string, string | undefined>,
): ResolvedSinks {
  const out: ResolvedSinks = { sinks: [], secrets: [], missing: [] };
  const fromEnv = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === '') out.missing.push(name);
    else out.secrets.push(v);
    return v ?? '';
  };
  (input?.sinks ?? []).forEach((s, i) => {
    const common = {
      events: new Set<NotifyEventType>(s.events ?? NOTIFY_EVENTS),
      ...(s.rooms ? { rooms: s.rooms } : {}),
      dedupMs: parseDuration(s.dedupWindow ?? '5m') ?? 300_000,
      ratePerMinute: s.ratePerMinute ?? 30,
      retries: s.retries ?? 3,
    };
    if (s.slack) {
      out.sinks.push({
        ...common,
        name: s.name ?? `slack-${i}`,
        kind: 'slack',
        url: fromEnv(s.slack.url.fromEnv),
      });
    } else if (s.webhook) {
      const url =
        typeof s.webhook.url === 'string' ? s.webhook.url : fromEnv(s.webhook.url.fromEnv);
      const secret = fromEnv(s.webhook.secret.fromEnv);
      out.sinks.push({ ...common, name: s.name ?? `webhook-${i}`, kind: 'webhook', url, secret });
    }
  });
  return out;
}
