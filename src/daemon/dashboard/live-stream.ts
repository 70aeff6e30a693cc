/**
 * The dashboard's Server-Sent Events stream. A page gets the full snapshot when it connects
 * (`event: snapshot`), then `event: room` with a room's view each time that room changes, and
 * `event: head` (daemon status, lock holder, recent events) at most every `headMs`. Room changes
 * of one turn of the event loop are one message per room, sent on the next turn: a room that went
 * away shows before the reconcile that recreates it (that needs a LiveKit round trip). A message
 * identical to the last one for the same room is not sent again. While a page is connected, a
 * periodic refresh picks up what no status change announces (the lock holder) and keeps proxies
 * from closing the idle stream.
 */
import type { ServerResponse } from 'node:http';

/** Rooms whose last sent text is remembered (to skip unchanged sends). */
const MAX_REMEMBERED_ROOMS = 10_000;

export interface LiveStreamOptions {
  /** JSON texts, built synchronously from what is in memory. */
  snapshot: () => string;
  head: () => string;
  /** The room's view, or `null` when it is gone. */
  room: (name: string) => string;
  /** Default 250 ms. */
  headMs?: number;
  /** Default 5 s. */
  refreshMs?: number;
  onError?: (err: unknown) => void;
}

export interface LiveStream {
  /** A room's status changed; without a room, the daemon's. */
  notify: (room?: string) => void;
  /** Streams to this response until the page goes away or `close()`. */
  attach: (res: ServerResponse, headers: Record<string, string>) => void;
  clients: () => number;
  close: () => void;
}

export function createLiveStream(o: LiveStreamOptions): LiveStream {
  const clients = new Set<ServerResponse>();
  const headMs = o.headMs ?? 250;
  const dirty = new Set<string>();
  const lastRoom = new Map<string, string>();
  let lastHead = '';
  let headAt = 0;
  let roomsTimer: NodeJS.Immediate | undefined;
  let headTimer: NodeJS.Timeout | undefined;
  let refresh: NodeJS.Timeout | undefined;
  let closed = false;

  function broadcast(event: string, text: string): void {
    for (const res of clients)
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${text}\n\n`);
  }

  function guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      o.onError?.(err);
    }
  }

  function flushRooms(): void {
    roomsTimer = undefined;
    const names = [...dirty];
    dirty.clear();
    guarded(() => {
      for (const name of names) {
        const text = o.room(name);
        if (lastRoom.get(name) === text) continue;
        // Only a de-duplication memory: bounded (a stream of unique rooms must not grow it);
        // forgetting just sends a room once more.
        if (lastRoom.size >= MAX_REMEMBERED_ROOMS) lastRoom.clear();
        lastRoom.set(name, text);
        broadcast('room', text);
      }
    });
  }

  function flushHead(): void {
    headTimer = undefined;
    headAt = Date.now();
    guarded(() => {
      const text = o.head();
      if (text === lastHead) return;
      lastHead = text;
      broadcast('head', text);
    });
  }

  function scheduleHead(): void {
    if (headTimer) return;
    headTimer = setTimeout(flushHead, Math.max(0, headAt + headMs - Date.now()));
    headTimer.unref();
  }

  function notify(room?: string): void {
    if (closed || clients.size === 0) return;
    if (room !== undefined) {
      dirty.add(room);
      roomsTimer ??= setImmediate(flushRooms);
    }
    scheduleHead();
  }

  function stopTimers(): void {
    if (refresh) clearInterval(refresh);
    if (headTimer) clearTimeout(headTimer);
    if (roomsTimer) clearImmediate(roomsTimer);
    refresh = headTimer = roomsTimer = undefined;
    dirty.clear();
  }

  return {
    notify,
    attach(res, headers) {
      if (closed) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      // The page reconnects after this long when the daemon restarts.
      res.write('retry: 1000\n\n');
      clients.add(res);
      res.on('close', () => {
        clients.delete(res);
        if (clients.size === 0) {
          stopTimers();
          lastRoom.clear();
        }
      });
      refresh ??= setInterval(() => {
        for (const c of clients) if (!c.writableEnded) c.write(': keep-alive\n\n');
        flushHead();
      }, o.refreshMs ?? 5000);
      refresh.unref();
      guarded(() => res.write(`event: snapshot\ndata: ${o.snapshot()}\n\n`));
    },
    clients: () => clients.size,
    close() {
      closed = true;
      stopTimers();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
