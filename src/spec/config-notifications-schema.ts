/** `notifications:` in livekit-gitops.yaml: where the daemon reports what it did (docs/notifications.md). */
import Type from 'typebox';
import { closed, duration, FromEnv } from './schema-common.ts';

export const NOTIFY_EVENTS = [
  'drift',
  'failed',
  'held',
  'recordingEnded',
  'leadership',
  'specErrors',
] as const;

const common = {
  name: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$', description: 'Sink name (logs).' }),
  ),
  events: Type.Optional(
    Type.Array(Type.Enum([...NOTIFY_EVENTS]), {
      minItems: 1,
      description: 'Events sent to this sink (default all).',
    }),
  ),
  rooms: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Room name globs; events about other rooms are not sent (default all).',
    }),
  ),
  dedupWindow: Type.Optional(
    duration('Identical events within this window are sent once (default 5m).'),
  ),
  ratePerMinute: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 600,
      description: 'Deliveries per minute at most (default 30).',
    }),
  ),
  retries: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 10,
      description: 'Retries after a failed delivery (default 3).',
    }),
  ),
};

// One object with both kinds optional (exactly one is checked in config-notifications.ts): a
// schema union would report a typo as "must be object or object" instead of naming the field.
const Sink = closed({
  ...common,
  slack: Type.Optional(
    closed(
      { url: FromEnv },
      { description: 'Slack-compatible incoming webhook (a text message).' },
    ),
  ),
  webhook: Type.Optional(
    closed(
      {
        url: Type.Union([Type.String({ pattern: '^https?://' }), FromEnv], {
          description: 'The receiver: a URL, or `{ fromEnv: NAME }` when the URL holds a token.',
        }),
        secret: FromEnv,
      },
      { description: 'JSON webhook, body signed with HMAC-SHA256.' },
    ),
  ),
});

export const NotificationsSchema = closed({
  sinks: Type.Array(Sink, { minItems: 1 }),
});
