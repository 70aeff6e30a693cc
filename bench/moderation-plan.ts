// Moderation plan time (pure core): 100 live rooms x 20 participants under 10 ModerationRules.
// Half the participants need an action, so the planner builds ~1,000 changes; the plan is then
// assembled (ordering and hashing) as `plan` does it.
// Run: node bench/moderation-plan.ts
import { emptyState } from '../src/core/inventory.ts';
import type { LiveParticipant } from '../src/core/live.ts';
import { assemblePlan } from '../src/core/plan-assembly.ts';
import type { ModerationRuleDef } from '../src/kinds/moderation-rule/decide.ts';
import { bindModeration } from '../src/kinds/moderation-rule/planner.ts';
import type { RoleSpec } from '../src/kinds/role/schema.ts';
import { SMOKE } from './smoke.ts';

const ROOMS = SMOKE ? 5 : 100;
const PER_ROOM = 20;
const RULES = 10;
const RUNS = SMOKE ? 2 : 30;

const rules: ModerationRuleDef[] = Array.from({ length: RULES }, (_, i) => ({
  name: `rule-${i}`,
  spec: {
    rooms: { match: [`room-${i}*`] },
    enforce: 'always',
    rules: [
      { participants: { identity: ['banned-*'] }, remove: true },
      { participants: { attributes: { role: 'host' } }, role: 'speaker' },
      {
        participants: { identity: ['*'], kind: ['standard'] },
        permissions: { canPublish: false, canSubscribe: true },
        mute: ['microphone', 'camera'],
      },
    ],
    limits: { maxPublishers: 4 },
  },
}));
const roles = new Map<string, RoleSpec>([
  ['speaker', { grants: { canPublish: true, canPublishSources: ['microphone', 'camera'] } }],
]);

const participants = new Map<string, LiveParticipant[]>();
for (let r = 0; r < ROOMS; r++) {
  const list: LiveParticipant[] = [];
  for (let p = 0; p < PER_ROOM; p++) {
    const publishing = p % 3 === 0;
    list.push({
      sid: `PA_${r}_${p}`,
      identity: p === 19 ? `banned-${p}` : `user-${p}`,
      name: '',
      kind: p === 18 ? 'agent' : 'standard',
      state: 'active',
      metadata: '',
      attributes: p < 2 ? { role: 'host' } : {},
      joinedAtMs: 1_000 + p,
      // Every other participant is already converged (no publish, nothing to mute).
      permission: {
        canSubscribe: true,
        canPublish: p % 2 === 0,
        canPublishData: true,
        canPublishSources: [],
        hidden: false,
        canUpdateMetadata: false,
        canSubscribeMetrics: false,
        canManageAgentSession: false,
      },
      tracks: publishing
        ? [{ sid: `TR_${r}_${p}`, name: 'mic', type: 'audio', source: 'microphone', muted: false }]
        : [],
      isPublisher: publishing,
    });
  }
  participants.set(`room-${r % 10}-${r}`, list);
}

const times: number[] = [];
let changes = 0;
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  const plan = assemblePlan({
    kinds: [bindModeration({ rules, roles, declaredLabels: new Map(), participants })],
    state: emptyState('bench'),
    now: new Date(),
    prune: false,
    toolVersion: 'bench',
    specHash: 'bench',
  });
  times.push(performance.now() - t0);
  changes = plan.changes.length;
}
times.sort((a, b) => a - b);
const pct = (p: number): string => (times[Math.floor((times.length - 1) * p)] ?? 0).toFixed(1);
console.log(
  `moderation plan: ${ROOMS} rooms x ${PER_ROOM} participants, ${RULES} rules -> ${changes} changes; ` +
    `p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, min ${pct(0)} ms over ${RUNS} runs`,
);
