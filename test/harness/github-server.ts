/**
 * A local stand-in for the GitHub REST API (loopback, free port): issue comments and commit
 * statuses in memory. Every request is checked against GitHub's OpenAPI description and every
 * answer against its response schema; problems land in `violations` (tests assert it is empty).
 * Failures can be injected (a 403 secondary rate limit with Retry-After, a 401, ...). Serves at
 * `/` like api.github.com or under a GHES-style base path such as `/api/v3`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubOpenApi, type MatchedOperation } from './github-openapi.ts';

export interface StoredComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  userType: 'User' | 'Bot';
  createdAt: string;
  updatedAt: string;
}

export interface StoredStatus {
  id: number;
  sha: string;
  state: string;
  context: string;
  description: string | null;
  targetUrl: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId: string | undefined;
  query: string;
  body: unknown;
  status: number;
  authorization: string | undefined;
}

export interface Injection {
  operationId?: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** How many matching requests get this answer (default 1). */
  times?: number;
}

export interface GitHubServerOptions {
  basePath?: string;
  /** Requests must carry this token (`token X` or `Bearer X`), else 401 Bad credentials. */
  token?: string;
  /** Login that writes as the token's owner. */
  viewer?: string;
}

export interface GitHubTestServer {
  /** The API base URL to give the client (includes the base path). */
  baseUrl: string;
  requests: RecordedRequest[];
  violations: string[];
  comments: StoredComment[];
  statuses: StoredStatus[];
  seedComment(
    issue: number,
    body: string,
    login?: string,
    userType?: 'User' | 'Bot',
  ): StoredComment;
  inject(i: Injection): void;
  /** Requests that changed something (non-GET) and succeeded or not. */
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

let shared: GitHubOpenApi | undefined;

/** The OpenAPI description is 13 MB: parse it once per test worker. */
function openApi(): GitHubOpenApi {
  shared ??= new GitHubOpenApi();
  return shared;
}

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubTestServer> {
  const api = openApi();
  const basePath = (opts.basePath ?? '').replace(/\/+$/, '');
  const viewer = opts.viewer ?? 'github-actions[bot]';
  const state = { nextId: 1000, injections: [] as Injection[] };
  const gh: Omit<GitHubTestServer, 'baseUrl' | 'close'> = {
    requests: [],
    violations: [],
    comments: [],
    statuses: [],
    seedComment(issue, body, login = 'someone', userType = 'User') {
      const now = new Date().toISOString();
      const c: StoredComment = {
        id: ++state.nextId,
        issue,
        body,
        login,
        userType,
        createdAt: now,
        updatedAt: now,
      };
      gh.comments.push(c);
      return c;
    },
    inject(i) {
      state.injections.push({ ...i, times: i.times ?? 1 });
    },
    writes() {
      return gh.requests.filter((r) => r.method !== 'GET');
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      gh.violations.push(`server error: ${String(err)}`);
      send(res, 500, { message: 'stand-in failure' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const rec: RecordedRequest = {
      method,
      path: url.pathname,
      operationId: undefined,
      query: url.search,
      body: undefined,
      status: 0,
      authorization: req.headers.authorization,
    };
    gh.requests.push(rec);
    const inBase = !basePath || url.pathname.startsWith(basePath + '/');
    const path = url.pathname.slice(basePath.length);
    const op: MatchedOperation | undefined = inBase ? api.match(method, path) : undefined;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      rec.status = status;
      if (op)
        for (const p of api.checkResponse(op, status, body))
          gh.violations.push(`${method} ${url.pathname}: ${p}`);
      send(res, status, body, headers);
    };
    if (!inBase) {
      gh.violations.push(`${method} ${url.pathname}: outside the base path ${basePath}`);
      return reply(404, { message: 'Not Found' });
    }
    if (!op) {
      gh.violations.push(`${method} ${path}: no such operation in GitHub's API`);
      return reply(404, { message: 'Not Found' });
    }
    rec.operationId = op.operationId;
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw) : undefined;
    } catch {
      gh.violations.push(`${method} ${path}: body is not JSON`);
      return reply(400, { message: 'Problems parsing JSON' });
    }
    rec.body = body;
    const problems = api.checkRequest(op, url.searchParams, body, raw.length > 0);
    if (problems.length) {
      for (const p of problems) gh.violations.push(`${op.operationId}: ${p}`);
      return reply(422, {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
      });
    }
    if (opts.token && !authorized(req.headers.authorization, opts.token))
      return reply(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    const inj = state.injections.find(
      (i) => (i.times ?? 0) > 0 && (!i.operationId || i.operationId === op.operationId),
    );
    if (inj) {
      inj.times = (inj.times ?? 1) - 1;
      return reply(inj.status, inj.body, inj.headers);
    }
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const p = op.pathParams;
    const u = userJson(origin + basePath, viewer);
    switch (op.operationId) {
      case 'issues/list-comments': {
        const all = gh.comments.filter((c) => c.issue === Number(p['issue_number']));
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < all.length) {
          const next = new URL(origin + url.pathname);
          next.searchParams.set('per_page', String(perPage));
          next.searchParams.set('page', String(page + 1));
          headers['link'] = `<${next.href}>; rel="next"`;
        }
        return reply(
          200,
          slice.map((c) => commentJson(origin + basePath, p, c)),
          headers,
        );
      }
      case 'issues/create-comment': {
        const c = gh.seedComment(
          Number(p['issue_number']),
          (body as { body: string }).body,
          viewer,
          'Bot',
        );
        return reply(201, commentJson(origin + basePath, p, c));
      }
      case 'issues/update-comment': {
        const c = gh.comments.find((x) => x.id === Number(p['comment_id']));
        if (!c) return reply(404, { message: 'Not Found' });
        c.body = (body as { body: string }).body;
        c.updatedAt = new Date().toISOString();
        return reply(200, commentJson(origin + basePath, p, c));
      }
      case 'repos/create-commit-status': {
        const b = body as {
          state: string;
          context?: string;
          description?: string | null;
          target_url?: string | null;
        };
        const s: StoredStatus = {
          id: ++state.nextId,
          sha: p['sha'] ?? '',
          state: b.state,
          context: b.context ?? 'default',
          description: b.description ?? null,
          targetUrl: b.target_url ?? null,
        };
        gh.statuses.push(s);
        const now = new Date().toISOString();
        return reply(201, {
          url: `${origin}${basePath}/repos/${p['owner']}/${p['repo']}/statuses/${s.sha}`,
          avatar_url: null,
          id: s.id,
          node_id: `SC_${s.id}`,
          state: s.state,
          description: s.description,
          target_url: s.targetUrl,
          context: s.context,
          created_at: now,
          updated_at: now,
          creator: u,
        });
      }
      default:
        gh.violations.push(`${op.operationId}: valid, but not implemented by the stand-in`);
        return reply(404, { message: 'Not Found' });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...gh,
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function authorized(header: string | undefined, token: string): boolean {
  return header === `token ${token}` || header === `Bearer ${token}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function userJson(api: string, login: string): Record<string, unknown> {
  const u = `${api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: login.length * 7919,
    node_id: `U_${login.length}`,
    avatar_url: 'https://avatars.githubusercontent.com/u/1',
    gravatar_id: '',
    url: u,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false,
  };
}

function commentJson(
  api: string,
  p: Record<string, string>,
  c: StoredComment,
): Record<string, unknown> {
  const repo = `${p['owner']}/${p['repo']}`;
  return {
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${api}/repos/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo}/pull/${c.issue}#issuecomment-${c.id}`,
    issue_url: `${api}/repos/${repo}/issues/${c.issue}`,
    body: c.body,
    user: userJson(api, c.login),
    created_at: c.createdAt.replace(/\.\d+Z$/, 'Z'),
    updated_at: c.updatedAt.replace(/\.\d+Z$/, 'Z'),
    author_association: c.userType === 'Bot' ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
  };
}
