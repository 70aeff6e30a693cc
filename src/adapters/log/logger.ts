/**
 * The daemon's logger: JSON lines (pino) on stderr, a human format when stderr is a terminal.
 * Credentials are redacted by path as a second line of defence: callers never pass them anyway.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** Human format (pino-pretty) instead of JSON lines. */
  pretty: boolean;
  level?: string;
  /** Where lines go; default stderr (fd 2). */
  destination?: NodeJS.WritableStream;
}

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'apiSecret',
  '*.apiSecret',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
];

export function createLogger(opts: LoggerOptions): Logger {
  const options = {
    level: opts.level ?? 'info',
    base: { name: 'livekit-gitops' },
    redact: { paths: REDACTED_PATHS, censor: '(redacted)' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (opts.pretty) {
    return pino(
      options,
      pretty({
        destination: opts.destination ?? 2,
        colorize: true,
        sync: true,
        ignore: 'pid,hostname,name',
        translateTime: 'SYS:HH:MM:ss.l',
      }),
    );
  }
  return pino(options, opts.destination ?? pino.destination({ fd: 2, sync: true }));
}
