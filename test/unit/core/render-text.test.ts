import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../src/core/render-text.ts';
import { SECRET, aPlan, fullPlan, withSecret } from './plan-fixtures.ts';

describe('core/render-text', () => {
  it('renders every block, held changes, warnings and the summary line', () => {
    expect(renderPlanText(fullPlan, { color: false })).toBe(
      [
        'livekit-gitops will perform the following actions:',
        '',
        '  + room.all-hands',
        '      name:         "all-hands"',
        '      emptyTimeout: 600',
        '      metadata:     "{\\"topic\\":\\"q3\\"}"',
        '',
        '  ~ room.lobby',
        '      metadata: "old" → "new"',
        '',
        '  -/+ room.stage (replace_because_cannot_update)',
        '      maxParticipants: 10 → 20',
        '',
        '  - room.old (delete_because_no_resource_config)',
        '',
        'Held back (not changed now):',
        '  -/+ room.busy: maxParticipants cannot change in place and the room has 2 participants',
        '',
        'Warnings:',
        '  - room.stage: replacing disconnects 1 participant (lifecycle.onOccupied: force)',
        '',
        'Plan: 2 to create, 1 to update, 2 to delete, 0 other.',
        '',
      ].join('\n'),
    );
  });

  it('says there are no changes', () => {
    expect(renderPlanText(aPlan(), { color: false })).toBe(
      'No changes. LiveKit matches the specs.\n',
    );
  });

  it('notes a preview of another moment (--at)', () => {
    const text = renderPlanText(aPlan({ evaluatedAt: '2026-04-01T08:00:00.000Z' }), {
      color: false,
    });

    expect(text).toBe(
      'Schedules evaluated at 2026-04-01T08:00:00.000Z.\n\nNo changes. LiveKit matches the specs.\n',
    );
  });

  it('colours only when asked', () => {
    expect(renderPlanText(fullPlan, { color: false })).not.toContain('\u001b[');
    const coloured = renderPlanText(fullPlan, { color: true });

    expect(coloured).toContain('\u001b[32m+\u001b[0m \u001b[1mroom.all-hands\u001b[0m');
    expect(coloured).toContain('\u001b[31m-\u001b[0m');
  });

  it('counts start as other and masks sensitive paths', () => {
    const text = renderPlanText(aPlan({ changes: [withSecret] }), {
      color: false,
      secretValues: [SECRET],
    });

    expect(text).toContain('      output: {"bucket":"rec","secret":"(sensitive value)"}');
    expect(text).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 other.');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('s3cr3t');
  });
});
