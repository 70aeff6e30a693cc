import { describe, expect, it } from 'vitest';
import { checkSafety } from '../../../src/core/safety.ts';
import { checkSavedPlan } from '../../../src/core/staleness.ts';
import { aPlan, create, remove, replace } from './plan-fixtures.ts';

const twoDeletes = aPlan({ changes: [create, replace, remove] });

describe('core/safety', () => {
  it.each([
    ['within maxDeletes', twoDeletes, { maxDeletes: 2, force: false, specCount: 3 }, []],
    [
      'a replace counts as a delete',
      twoDeletes,
      { maxDeletes: 1, force: false, specCount: 3 },
      [/deletes 2 objects.*maxDeletes \(1\)/],
    ],
    [
      'empty spec set with changes',
      aPlan({ changes: [remove] }),
      { maxDeletes: 10, force: false, specCount: 0 },
      [/spec set is empty/],
    ],
    ['empty spec set, nothing to do', aPlan(), { maxDeletes: 0, force: false, specCount: 0 }, []],
    [
      'both guards at once',
      twoDeletes,
      { maxDeletes: 0, force: false, specCount: 0 },
      [/maxDeletes/, /spec set is empty/],
    ],
    ['force overrides both', twoDeletes, { maxDeletes: 0, force: true, specCount: 0 }, []],
  ])('%s', (_name, plan, options, reasons) => {
    const result = checkSafety(plan, options);

    if (reasons.length === 0) expect(result).toEqual({ ok: true });
    else {
      expect(result.ok).toBe(false);
      const got = result.ok ? [] : result.reasons;
      expect(got).toHaveLength(reasons.length);
      reasons.forEach((reason, i) => expect(got[i]).toMatch(reason));
    }
  });
});

describe('core/staleness', () => {
  const saved = aPlan();
  const current = {
    specHash: saved.specHash,
    liveHash: saved.liveHash,
    stateHash: saved.stateHash,
    toolVersion: saved.toolVersion,
  };

  it.each([
    ['nothing moved', {}, []],
    ['specs changed', { specHash: 'x' }, [/specs changed/]],
    ['live state changed', { liveHash: 'x' }, [/live LiveKit state changed/]],
    ['state changed', { stateHash: 'x' }, [/state inventory was changed/]],
    [
      'other tool version',
      { toolVersion: '0.2.0' },
      [/made by livekit-gitops 0.1.0, this is 0.2.0/],
    ],
    ['everything', { specHash: 'x', liveHash: 'y', stateHash: 'z' }, [/specs/, /live/, /state/]],
  ])('%s', (_name, changed, reasons) => {
    const result = checkSavedPlan(saved, { ...current, ...changed });

    if (reasons.length === 0) expect(result).toEqual({ fresh: true });
    else {
      const got = result.fresh ? [] : result.reasons;
      expect(got).toHaveLength(reasons.length);
      reasons.forEach((reason, i) => expect(got[i]).toMatch(reason));
    }
  });
});
