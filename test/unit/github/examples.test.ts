/**
 * The documented CI setup holds together: the example config loads with the redis state backend
 * and its password reference, the example workflow passes that variable to the action, and the
 * workflow only uses inputs action.yml declares.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { stateConfigFor } from '../../../src/cli/project-context.ts';
import { loadConfig } from '../../../src/spec/config.ts';

const examples = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface WorkflowStep {
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

function workflow(): {
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: WorkflowStep[] }>;
} {
  return parse(readFileSync(`${examples}github-workflow.yml`, 'utf8')) as ReturnType<
    typeof workflow
  >;
}

function actionStep(): WorkflowStep {
  const steps = Object.values(workflow().jobs).flatMap((j) => j.steps);
  const step = steps.find((s) => s.uses?.startsWith('livekit-gitops/livekit-gitops@'));
  if (!step) throw new Error('the example workflow does not use the action');
  return step;
}

describe('docs/examples: the CI setup', () => {
  it('the example livekit-gitops.yaml loads with the redis state backend and a password reference', async () => {
    const { config, diagnostics } = await loadConfig(examples, 'livekit-gitops.yaml');

    expect(diagnostics).toEqual([]);
    expect(config.state).toEqual({
      backend: 'redis',
      redis: {
        address: 'redis.livekit.internal:6379',
        keyPrefix: 'livekit-gitops:production:',
        password: { fromEnv: 'LIVEKIT_GITOPS_REDIS_PASSWORD' },
      },
    });
    const env = { LIVEKIT_GITOPS_REDIS_PASSWORD: 's3cret-from-a-secret' };
    expect(stateConfigFor(config, {}, env)).toEqual({
      backend: 'redis',
      redis: {
        address: 'redis.livekit.internal:6379',
        keyPrefix: 'livekit-gitops:production:',
        password: 's3cret-from-a-secret',
      },
    });
  });

  it('the example workflow passes the password variable the config names, from a secret', async () => {
    const { config } = await loadConfig(examples, 'livekit-gitops.yaml');
    const ref = config.state.redis?.password;
    const name = ref && 'fromEnv' in ref ? ref.fromEnv : undefined;

    expect(name).toBe('LIVEKIT_GITOPS_REDIS_PASSWORD');
    expect(actionStep().env?.[name ?? '']).toBe('${{ secrets.LIVEKIT_GITOPS_REDIS_PASSWORD }}');
  });

  it('the example workflow serialises applies and only passes inputs action.yml declares', () => {
    const wf = workflow();
    const action = parse(readFileSync(`${root}action.yml`, 'utf8')) as {
      inputs: Record<string, { required?: boolean }>;
    };
    const given = Object.keys(actionStep().with ?? {});
    const required = Object.entries(action.inputs)
      .filter(([, i]) => i.required === true)
      .map(([n]) => n);

    expect(wf.concurrency?.group).toMatch(/apply/);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
    expect(wf.permissions).toMatchObject({ 'pull-requests': 'write', statuses: 'write' });
    expect(given.filter((n) => !(n in action.inputs))).toEqual([]);
    expect(required.filter((n) => !given.includes(n))).toEqual([]);
  });
});
