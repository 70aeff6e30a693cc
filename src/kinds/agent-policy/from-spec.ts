/** Loaded AgentPolicy specs → the desired model (defaults filled in), sorted by name. */
import type { LoadedAgentPolicy, LoadedSpec } from '../../spec/types.ts';
import { toScheduleWindow } from '../room/from-spec.ts';
import { AGENT_KIND, DEFAULT_COUNTED_KINDS, type DesiredAgentPolicy } from './desired.ts';

export function desiredAgentPolicyFromSpec(loaded: LoadedAgentPolicy): DesiredAgentPolicy {
  const spec = loaded.spec;
  const policy: DesiredAgentPolicy = {
    name: loaded.name,
    rooms: {
      names: spec.rooms.names ?? [],
      match: spec.rooms.match ?? [],
      labels: spec.rooms.labels ?? {},
    },
    agentName: spec.agent.agentName,
    metadata: spec.agent.metadata ?? '',
    when: {
      minParticipants: spec.when?.minParticipants ?? 0,
      participantKinds: [...(spec.when?.participantKinds ?? DEFAULT_COUNTED_KINDS)],
    },
    removeWhenUnmet: spec.removeWhenUnmet ?? false,
    source: { file: loaded.source.file, line: loaded.source.line, col: loaded.source.col },
  };
  if (spec.when?.schedule !== undefined)
    policy.when.schedule = spec.when.schedule.map(toScheduleWindow);
  return policy;
}

const cache = new WeakMap<readonly LoadedSpec[], DesiredAgentPolicy[]>();

/** The AgentPolicies of a spec set, by name: the order "first match wins" is decided in. */
export function agentPoliciesOf(specs: readonly LoadedSpec[]): DesiredAgentPolicy[] {
  let list = cache.get(specs);
  if (!list) {
    list = specs
      .filter((s): s is LoadedAgentPolicy => s.kind === AGENT_KIND)
      .map(desiredAgentPolicyFromSpec)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    cache.set(specs, list);
  }
  return list;
}
