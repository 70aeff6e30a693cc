/** How `livekit-gitops status` shows a room's agents: a table column and the room's detail lines. */
import type { RoomStatus } from '../../adapters/status/room-status.ts';
import type { KindStatusView } from '../kind.ts';

function named(agentName: string): string {
  return agentName === '' ? '(automatic)' : agentName;
}

export const agentStatusView: KindStatusView = {
  column: {
    head: 'AGENTS',
    cell(s: RoomStatus): string {
      const a = s.agents;
      if (!a || (a.dispatches.length === 0 && a.participants.length === 0)) return '-';
      const names = [...new Set(a.dispatches.map((d) => named(d.agentName)))].join(',');
      return `${names || '-'} (${a.participants.length} in room)`;
    },
  },
  lines(s: RoomStatus): string[] {
    const a = s.agents;
    if (!a) return [];
    const out: string[] = [];
    if (a.dispatches.length > 0) {
      out.push('  agent dispatches:');
      for (const d of a.dispatches) {
        const jobs = d.jobs.map(
          (j) => `${j.id} ${j.status}${j.participant ? ` ${j.participant}` : ''}`,
        );
        out.push(
          `    ${d.id} ${named(d.agentName)} ${d.owner ?? '(not this tool)'}${jobs.length ? ` jobs: ${jobs.join('; ')}` : ''}`,
        );
      }
    }
    if (a.participants.length > 0) {
      out.push('  agent participants:');
      for (const p of a.participants)
        out.push(
          `    ${p.identity} ${p.kind} ${p.state} job ${p.jobId || '-'} joined ${p.joinedAt}`,
        );
    }
    if (a.events.length > 0) {
      out.push('  agent events:');
      for (const e of a.events.slice(-10))
        out.push(
          `    ${e.time} ${e.kind} ${named(e.agentName)}${e.dispatchId ? ` ${e.dispatchId}` : ''}${e.participant ? ` ${e.participant}` : ''}${e.message ? `: ${e.message}` : ''}`,
        );
    }
    return out;
  },
};
