/** What the daemon tells notification sinks about (docs/notifications.md lists each field). */
export type NotifyEvent =
  | { type: 'drift'; room: string; actions: string[]; corrected: boolean }
  | { type: 'failed'; room?: string; message: string }
  | { type: 'held'; room?: string; reason: string }
  | {
      type: 'recordingEnded';
      room: string;
      policy: string;
      egressId?: string;
      result: string;
      message: string;
      /** What it wrote: each file's location, bytes and milliseconds (none when it failed early). */
      files?: { location: string; size: number; durationMs: number }[];
    }
  | { type: 'leadership'; change: 'acquired' | 'lost'; holder?: string; reason?: string }
  | {
      type: 'specErrors';
      change: 'appeared' | 'cleared';
      count: number;
      errors: { file: string; line: number; col: number; code: string; message: string }[];
    };

export type NotifyEventType = NotifyEvent['type'];

/** Hands one event to the sinks; never throws, never waits. */
export type Notify = (event: NotifyEvent) => void;

export const noNotify: Notify = () => undefined;
