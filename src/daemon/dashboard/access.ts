/**
 * Who may see the dashboard. On a loopback listener, anyone who can reach it (they are on the
 * machine). On any other address, only a request with the token from
 * LIVEKIT_GITOPS_DASHBOARD_TOKEN: as `Authorization: Bearer <token>`, or once as `?token=` on the
 * page, which sets an HttpOnly cookie so the page's own requests (the event stream) carry it.
 * Without the variable, a non-loopback dashboard refuses everyone.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export const DASHBOARD_TOKEN_ENV = 'LIVEKIT_GITOPS_DASHBOARD_TOKEN';
export const DASHBOARD_COOKIE = 'lkg_dashboard';

export interface AccessRequest {
  authorization?: string | undefined;
  cookie?: string | undefined;
  /** The `token` query parameter, when present. */
  queryToken?: string | undefined;
}

export type AccessDecision =
  { allowed: true; setCookie?: string } | { allowed: false; status: 401 | 403; message: string };

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms; `0.0.0.0` and `::` listen on every interface. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The cookie holds a digest of the token, never the token itself. */
function cookieValue(token: string): string {
  return createHash('sha256').update(`livekit-gitops dashboard\0${token}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

function cookieOf(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === DASHBOARD_COOKIE) return v.join('=');
  }
  return undefined;
}

export function createDashboardAccess(o: {
  host: string;
  token: string | undefined;
}): (req: AccessRequest) => AccessDecision {
  const open = isLoopbackHost(o.host);
  const token = o.token ? o.token : undefined;
  return (req) => {
    if (open) return { allowed: true };
    if (!token) {
      return {
        allowed: false,
        status: 403,
        message: `the dashboard on a non-loopback address needs ${DASHBOARD_TOKEN_ENV}\n`,
      };
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(req.authorization ?? '')?.[1]?.trim();
    if (bearer !== undefined && same(bearer, token)) return { allowed: true };
    const cookie = cookieOf(req.cookie);
    if (cookie !== undefined && same(cookie, cookieValue(token))) return { allowed: true };
    if (req.queryToken !== undefined && same(req.queryToken, token)) {
      return {
        allowed: true,
        setCookie: `${DASHBOARD_COOKIE}=${cookieValue(token)}; HttpOnly; SameSite=Strict; Path=/`,
      };
    }
    return { allowed: false, status: 401, message: 'unauthorized\n' };
  };
}
