import { describe, expect, it } from 'vitest';
import { emptyState, type StateDocument } from '../../../src/core/inventory.ts';
import { applyStateDelta, isEmptyDelta, stateDelta } from '../../../src/core/state-delta.ts';

const owned = (name: string) => ({ address: `room.${name}`, kind: 'Room', name, since: 't' });

describe('state deltas', () => {
  it('carries only the entries a run changed, in every section (a kind’s own ones too)', () => {
    const base: StateDocument = { ...emptyState('l'), owned: { 'room.a': owned('a') } };
    const next = {
      ...base,
      owned: { 'room.b': owned('b') },
      pending: {},
      agentsSeen: { 'agent.x': { n: 1 } },
      note: 'n',
    } as StateDocument;
    const delta = stateDelta(base, next);
    expect(delta.sections).toEqual({
      owned: { set: { 'room.b': owned('b') }, drop: ['room.a'] },
      agentsSeen: { set: { 'agent.x': { n: 1 } }, drop: [] },
    });
    expect(delta.fields).toEqual({ note: 'n' });

    // Another run wrote room.c and a pending marker meanwhile: both stay.
    const current: StateDocument = {
      ...base,
      serial: 7,
      owned: { 'room.a': owned('a'), 'room.c': owned('c') },
      pending: { 'room.d': { address: 'room.d', operation: 'create', startedAt: 't', match: {} } },
    };
    applyStateDelta(current, delta);
    expect(Object.keys(current.owned).sort()).toEqual(['room.b', 'room.c']);
    expect(Object.keys(current.pending)).toEqual(['room.d']);
    expect(current.serial).toBe(7);
    expect((current as unknown as Record<string, unknown>)['note']).toBe('n');
  });

  it('is empty when nothing changed, even for equal copies of entries', () => {
    const base: StateDocument = { ...emptyState('l'), owned: { 'room.a': owned('a') } };
    const copy = structuredClone(base);
    expect(isEmptyDelta(stateDelta(base, copy))).toBe(true);
  });

  it('removes a top-level field the run dropped', () => {
    const base = { ...emptyState('l'), note: 'n' } as StateDocument;
    const { ...next } = base as unknown as Record<string, unknown>;
    delete next['note'];
    const current = { ...base } as unknown as Record<string, unknown>;
    applyStateDelta(
      current as unknown as StateDocument,
      stateDelta(base, next as unknown as StateDocument),
    );
    expect('note' in current).toBe(false);
  });
});
