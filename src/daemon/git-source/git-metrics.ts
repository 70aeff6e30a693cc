/** The git source's Prometheus metrics, registered on the daemon's registry. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface GitMetrics {
  fetches: Counter<'result'>;
  commits: Counter<'result'>;
  up: Gauge;
  /** 1 for the applied commit's sha, as Flux and Argo CD report revisions. */
  applied: Gauge<'sha'>;
  /** 1 for the newest refused commit while it is the ref's head. */
  rejected: Gauge<'sha' | 'reason'>;
  appliedTimestamp: Gauge;
  lastFetchTimestamp: Gauge;
  hooks: Counter<'outcome'>;
}

export function createGitMetrics(registry: Registry): GitMetrics {
  const registers = [registry];
  return {
    fetches: new Counter({
      name: 'livekit_gitops_git_fetch_total',
      help: 'Fetches of the git ref by result (success, error).',
      labelNames: ['result'] as const,
      registers,
    }),
    commits: new Counter({
      name: 'livekit_gitops_git_commits_total',
      help: 'New head commits by result (applied, rejected).',
      labelNames: ['result'] as const,
      registers,
    }),
    up: new Gauge({
      name: 'livekit_gitops_git_up',
      help: '1 when the last fetch of the git source succeeded.',
      registers,
    }),
    applied: new Gauge({
      name: 'livekit_gitops_git_applied_commit',
      help: 'The commit whose specs are in force (value 1, sha as label).',
      labelNames: ['sha'] as const,
      registers,
    }),
    rejected: new Gauge({
      name: 'livekit_gitops_git_rejected_commit',
      help: 'The newest commit refused (value 1; sha and reason as labels).',
      labelNames: ['sha', 'reason'] as const,
      registers,
    }),
    appliedTimestamp: new Gauge({
      name: 'livekit_gitops_git_applied_timestamp_seconds',
      help: 'When the applied commit was switched to.',
      registers,
    }),
    lastFetchTimestamp: new Gauge({
      name: 'livekit_gitops_git_last_fetch_timestamp_seconds',
      help: 'When the git ref was last fetched successfully.',
      registers,
    }),
    hooks: new Counter({
      name: 'livekit_gitops_git_hook_requests_total',
      help: 'POST /hooks/git requests by outcome (accepted, ignored, bad_signature, bad_payload, standby).',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}
