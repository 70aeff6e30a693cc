/** The two body shapes: Slack's `{ text }` and the JSON webhook's `{ id, type, time, data }`. */
import type { NotifyEvent } from './events.ts';

export function eventText(e: NotifyEvent): string {
  switch (e.type) {
    case 'drift':
      return `Drift in room ${e.room}: ${e.actions.join(', ')}${e.corrected ? ' (corrected)' : ' (not corrected)'}`;
    case 'failed':
      return `Reconcile failed${e.room !== undefined ? ` for room ${e.room}` : ''}: ${e.message}`;
    case 'held':
      return `Change held${e.room !== undefined ? ` in room ${e.room}` : ''}: ${e.reason}`;
    case 'recordingEnded':
      return `Recording ${e.egressId ?? ''} of room ${e.room} (policy ${e.policy}) ended: ${e.result}: ${e.message}${
        e.files?.length ? `; files: ${e.files.map((f) => f.location).join(', ')}` : ''
      }`;
    case 'leadership':
      return e.change === 'acquired'
        ? `Daemon became leader${e.holder !== undefined ? ` (${e.holder})` : ''}`
        : `Daemon lost leadership: ${e.reason ?? 'lock lost'}`;
    case 'specErrors':
      return e.change === 'cleared'
        ? 'Spec errors cleared'
        : `${e.count} spec error(s): ${e.errors
            .slice(0, 5)
            .map((x) => `${x.file}:${x.line}:${x.col} ${x.code} ${x.message}`)
            .join('; ')}`;
  }
}

export function slackBody(e: NotifyEvent): string {
  return JSON.stringify({ text: `[livekit-gitops] ${eventText(e)}` });
}

export function jsonBody(e: NotifyEvent, id: string, time: string): string {
  const { type, ...data } = e;
  return JSON.stringify({ id, type, time, text: eventText(e), data });
}

/** The room an event is about, for the rooms filter. */
export function roomOf(e: NotifyEvent): string | undefined {
  return 'room' in e ? e.room : undefined;
}
