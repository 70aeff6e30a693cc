import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpecs } from '../../../src/spec/load.ts';
import { KINDS } from '../../../src/spec/kind-names.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('rooms/ examples', () => {
  it('validate clean and show every kind', async () => {
    const result = await loadSpecs(['rooms'], { cwd: root });

    expect(result.diagnostics).toEqual([]);
    expect(new Set(result.specs.map((s) => s.kind))).toEqual(new Set(KINDS));
    expect(result.specs.filter((s) => s.kind === 'Room').length).toBeLessThanOrEqual(6);
  });

  it('keeps positions and labels on loaded specs', async () => {
    const result = await loadSpecs(['rooms/town-hall.yaml'], { cwd: root });

    const [townHall, webinar] = result.specs;
    expect(townHall?.source).toMatchObject({ file: 'rooms/town-hall.yaml', line: 3, col: 1 });
    expect(webinar?.labels).toEqual({ team: 'sales' });
    expect(townHall?.locate(['spec', 'maxParticipants'])).toEqual({ line: 11, col: 20 });
  });
});
