/**
 * The daemon's read-only dashboard: `GET /` (the page), `/dashboard/app.js` and `/dashboard/app.css`
 * (its assets, served from the package's assets/dashboard, no CDN), `/dashboard/snapshot.json` and
 * `/dashboard/events` (the same snapshot as Server-Sent Events, pushed on every status change).
 * It answers only GET/HEAD on those paths and leaves every other request to the listener.
 * The Content-Security-Policy allows only the daemon's own script and style: even markup that got
 * into the page could not run.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LockInfo } from '../../core/errors.ts';
import { readDashboardAssets } from '../../adapters/dashboard-assets/assets.ts';
import type { StatusStore } from '../../adapters/status/status-store.ts';
import type { RoomStatus } from '../../adapters/status/room-status.ts';
import { createDashboardAccess } from './access.ts';
import { createLiveStream } from './live-stream.ts';
import {
  buildDashboardHead,
  buildDashboardSnapshot,
  dashboardRoom,
  type DashboardInput,
} from './snapshot.ts';

export interface DashboardOptions {
  /** The listener's host: loopback serves anyone on the machine, anything else needs the token. */
  host: string;
  token: string | undefined;
  status: StatusStore;
  /** The daemon leading now (the leadership lease's holder). */
  leader: () => Promise<LockInfo | undefined>;
  /** The state lock's holder: a daemon only around its writes, or a CI apply. */
  stateLock: () => Promise<LockInfo | undefined>;
  now: () => Date;
  toolVersion: string;
  secretValues: () => readonly string[];
  onError?: (err: unknown) => void;
}

export interface Dashboard {
  /** Answers the request when it is the dashboard's; false when it is not (the caller goes on). */
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** A room's status changed (without a room: the daemon's); connected pages get it. */
  notify: (room?: string) => void;
  close: () => void;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};
/** The lock holder is read from the backend at most this often. */
const LOCK_TTL_MS = 2000;

export function createDashboard(o: DashboardOptions): Dashboard {
  const assets = readDashboardAssets();
  const access = createDashboardAccess({ host: o.host, token: o.token });
  // The leader and the lock holder come from the backend (a file or Redis): read in the
  // background, at most every LOCK_TTL_MS, so a snapshot is built from memory alone.
  const leader = backgroundRead(o.leader, () => stream.notify());
  const stateLock = backgroundRead(o.stateLock, () => stream.notify());

  function input(): DashboardInput {
    const rooms = o.status
      .rooms()
      .map((r) => o.status.peek(r))
      .filter((s): s is RoomStatus => s !== undefined);
    return {
      rooms,
      daemon: o.status.daemon(),
      leader: leader(),
      lock: stateLock(),
      now: o.now().toISOString(),
      toolVersion: o.toolVersion,
      secretValues: o.secretValues(),
    };
  }

  const snapshotText = (): string => JSON.stringify(buildDashboardSnapshot(input()));
  const stream = createLiveStream({
    snapshot: snapshotText,
    head: () => JSON.stringify(buildDashboardHead(input())),
    room: (name) => {
      const s = o.status.peek(name);
      return JSON.stringify({ room: name, status: s ? dashboardRoom(s, o.secretValues()) : null });
    },
    ...(o.onError ? { onError: o.onError } : {}),
  });

  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    if (path === '/favicon.ico') {
      // The browser asks for it; the page has none (and a 404 would be a console error).
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
      return true;
    }
    const known =
      assets.has(path) || path === '/dashboard/events' || path === '/dashboard/snapshot.json';
    if (!known) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return true;
    }
    const decision = access({
      authorization: req.headers.authorization,
      cookie: req.headers.cookie,
      queryToken: url.searchParams.get('token') ?? undefined,
    });
    if (!decision.allowed) {
      res.writeHead(decision.status, {
        ...SECURITY_HEADERS,
        'content-type': 'text/plain; charset=utf-8',
        ...(decision.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      });
      res.end(decision.message);
      return true;
    }
    if (decision.setCookie) {
      // The token leaves the address bar (and the history) at once.
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'set-cookie': decision.setCookie,
        location: path,
      });
      res.end();
      return true;
    }
    if (path === '/dashboard/events') {
      stream.attach(res, SECURITY_HEADERS);
      return true;
    }
    if (path === '/dashboard/snapshot.json') {
      const body = snapshotText();
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    const asset = assets.get(path);
    if (!asset) return false;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.type });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  }

  return {
    handle: (req, res) => Promise.resolve(handle(req, res)),
    notify: (room) => stream.notify(room),
    close: () => stream.close(),
  };
}

/**
 * The last value `read` gave, refreshed in the background at most every LOCK_TTL_MS (the first
 * read starts at once); `changed` is called when a refresh brings a different value.
 */
function backgroundRead<T>(
  read: () => Promise<T | undefined>,
  changed: () => void,
): () => T | undefined {
  let value: T | undefined;
  let readAt = 0;
  let reading = false;
  function refresh(): void {
    if (reading || Date.now() - readAt < LOCK_TTL_MS) return;
    reading = true;
    readAt = Date.now();
    read()
      .then((next) => {
        const differs = JSON.stringify(next) !== JSON.stringify(value);
        value = next;
        if (differs) changed();
      })
      .catch(() => undefined)
      .finally(() => (reading = false));
  }
  refresh();
  return () => {
    refresh();
    return value;
  };
}
