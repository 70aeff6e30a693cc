import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.ts';
import { renderPlanJson, sensitiveMask } from '../../../src/core/render-json.ts';
import { parseSavedPlan } from '../../../src/core/saved-plan.ts';
import { SECRET, aPlan, fullPlan, replace, withSecret } from './plan-fixtures.ts';

describe('core/render-json', () => {
  it("follows Terraform's top-level shape", () => {
    const json = renderPlanJson(fullPlan);

    expect(json).toMatchObject({
      format_version: '1.0',
      tool_version: '0.1.0',
      timestamp: '2026-03-30T10:00:00.000Z',
      applyable: true,
      complete: true,
      errored: false,
      warnings: fullPlan.warnings,
    });
    expect(json['livekit_gitops']).toMatchObject({
      spec_hash: fullPlan.specHash,
      live_hash: fullPlan.liveHash,
      state_hash: fullPlan.stateHash,
      evaluated_at: fullPlan.evaluatedAt,
    });
  });

  it('renders a replace as ["delete","create"] with its action reason', () => {
    const json = renderPlanJson(aPlan({ changes: [replace] }));

    expect(json['resource_changes']).toEqual([
      {
        address: 'room.stage',
        mode: 'managed',
        type: 'Room',
        name: 'stage',
        change: {
          actions: ['delete', 'create'],
          before: replace.before,
          after: replace.after,
          before_sensitive: false,
          after_sensitive: false,
        },
        action_reason: 'replace_because_cannot_update',
        livekit_action: 'replace',
      },
    ]);
  });

  it.each([
    ['create', ['create']],
    ['update', ['update']],
    ['delete', ['delete']],
    ['start', ['create']],
    ['stop', ['delete']],
    ['moderate', ['update']],
  ] as const)('maps %s to %j', (action, actions) => {
    const json = renderPlanJson(aPlan({ changes: [{ ...replace, action }] }));

    expect(json['resource_changes']).toMatchObject([
      { change: { actions }, livekit_action: action },
    ]);
  });

  it('builds parallel sensitive masks', () => {
    expect(sensitiveMask({ a: { b: 'x', c: 'y' } }, ['a.b', 'd'])).toEqual({
      a: { b: true },
      d: true,
    });
    expect(sensitiveMask(null, ['a'])).toBe(false);
    expect(sensitiveMask({ a: 1 }, [])).toBe(false);
  });

  it('masks and scrubs secrets everywhere, payload included', () => {
    const plan = aPlan({ changes: [withSecret] });

    const text = JSON.stringify(renderPlanJson(plan, { secretValues: [SECRET] }));

    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('"after_sensitive":{"output":{"secret":true}}');
  });

  it('round-trips through a saved plan file', () => {
    const plan = { ...fullPlan, protections: { protect: ['room.a'], unprotect: [] } };

    const parsed = parseSavedPlan(JSON.stringify(renderPlanJson(plan), null, 2));

    expect(parsed).toEqual(plan);
  });

  it('accepts a minor format bump with unknown keys', () => {
    const json = { ...renderPlanJson(fullPlan), format_version: '1.3', something_new: [1] };

    expect(parseSavedPlan(json)).toEqual(fullPlan);
  });

  it.each([
    [{ ...renderPlanJson(fullPlan), format_version: '2.0' }, /format_version 2.0 is newer/],
    [{ format_version: '1.0' }, /livekit_gitops section is missing/],
    ['not json', /not JSON/],
    [[], /top level must be an object/],
    [
      (() => {
        const json = renderPlanJson(aPlan({ changes: [replace] }));
        const internal = json['livekit_gitops'] as { changes: { action: string }[] };
        internal.changes[0]!.action = 'explode';
        return json;
      })(),
      /"explode" is not a known action/,
    ],
  ])('rejects a bad saved plan (%#)', (input, message) => {
    expect(() => parseSavedPlan(input)).toThrow(UsageError);
    expect(() => parseSavedPlan(input)).toThrow(message);
  });
});
