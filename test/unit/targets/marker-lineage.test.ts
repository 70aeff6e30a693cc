import { describe, expect, it } from 'vitest';
import { emptyState } from '../../../src/core/inventory.ts';
import type { LiveSipInboundTrunk } from '../../../src/core/live.ts';
import { hasMarker, withMarker, withoutMarker } from '../../../src/kinds/sip-common/marker.ts';
import { settlePersistent } from '../../../src/kinds/sip-common/settle.ts';
import { sipInboundKind } from '../../../src/kinds/sip-inbound-trunk/kind.ts';

function trunk(id: string, metadata: string): LiveSipInboundTrunk {
  return {
    sipTrunkId: id,
    name: 'main-in',
    numbers: [],
    allowedAddresses: [],
    allowedNumbers: [],
    authUsername: '',
    metadata,
    krispEnabled: false,
    ringingTimeoutMs: 0,
    maxCallDurationMs: 0,
    headers: {},
    headersToAttributes: {},
    attributesToHeaders: {},
  } as unknown as LiveSipInboundTrunk;
}

function pendingCreate(lineage: string, match: Record<string, string>) {
  const state = emptyState(lineage);
  state.pending['sip-inbound.main-in'] = {
    address: 'sip-inbound.main-in',
    operation: 'create',
    startedAt: '2026-01-01T00:00:00.000Z',
    match,
  };
  return state;
}

describe('the ownership marker carries the lineage', () => {
  it('writes livekit-gitops:<lineage>, reads only its own lineage, strips every form', () => {
    const mine = withMarker('{"team":"a"}', 'L1');
    expect(JSON.parse(mine)).toEqual({ team: 'a', managedBy: 'livekit-gitops:L1' });
    expect(hasMarker(mine, 'L1')).toBe(true);
    expect(hasMarker(mine, 'L2')).toBe(false);
    expect(hasMarker(mine)).toBe(false);
    expect(hasMarker(withMarker(undefined))).toBe(true);
    expect(withoutMarker(mine)).toBe('{"team":"a"}');
    // The marker written before lineages existed is still removed from compared metadata.
    expect(withoutMarker('{"managedBy":"livekit-gitops","team":"a"}')).toBe('{"team":"a"}');
    expect(withoutMarker('{"managedBy":"someone-else"}')).toBe('{"managedBy":"someone-else"}');
  });

  it('after a lost create, adopts only the trunk with its own lineage marker', () => {
    const state = pendingCreate('L1', { marker: 'yes', lineage: 'L1' });
    const other = trunk('other', withMarker(undefined, 'L2'));
    const legacy = trunk('legacy', withMarker(undefined));
    const settled = settlePersistent(sipInboundKind, state, [other, legacy]);
    expect(settled.owned).toEqual({});
    expect(settled.pending).toEqual({});
    const ours = trunk('ours', withMarker(undefined, 'L1'));
    const adopted = settlePersistent(sipInboundKind, state, [other, ours, legacy]);
    expect(adopted.owned['sip-inbound.main-in']?.serverId).toBe('ours');
  });

  it('a pending create recorded before lineages adopts the legacy marker only', () => {
    const state = pendingCreate('L1', { marker: 'yes' });
    const settled = settlePersistent(sipInboundKind, state, [
      trunk('other', withMarker(undefined, 'L2')),
      trunk('legacy', withMarker(undefined)),
    ]);
    expect(settled.owned['sip-inbound.main-in']?.serverId).toBe('legacy');
  });
});
