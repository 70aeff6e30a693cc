import { describe, expect, it } from 'vitest';
import { buildTokenRequest } from '../../../src/kinds/role/token-request.ts';
import type { DesiredRoom } from '../../../src/kinds/room/desired.ts';

describe('kinds/role token request: roomConfig.agents', () => {
  const declared: DesiredRoom = {
    name: 'support-desk',
    labels: {},
    emptyTimeout: 60,
    agents: [{ agentName: 'receptionist', metadata: '{"lang":"en"}' }],
    lifecycle: { preventDestroy: false, onOccupied: 'wait' },
    source: { file: 'rooms/a.yaml', line: 1, col: 1 },
    specHash: 'h',
  };

  it.each([
    {
      name: "the declared room's agents",
      role: { grants: {} },
      room: declared,
      config: {
        name: 'support-desk',
        emptyTimeout: 60,
        agents: [{ agentName: 'receptionist', metadata: '{"lang":"en"}' }],
      },
    },
    {
      name: "the room's agents, then the Role's own",
      role: { grants: {}, agents: [{ agentName: 'interpreter', metadata: 'de' }] },
      room: declared,
      config: {
        name: 'support-desk',
        emptyTimeout: 60,
        agents: [
          { agentName: 'receptionist', metadata: '{"lang":"en"}' },
          { agentName: 'interpreter', metadata: 'de' },
        ],
      },
    },
    {
      name: "one dispatch per agent name: the room's wins over the Role's",
      role: { grants: {}, agents: [{ agentName: 'receptionist', metadata: 'other' }] },
      room: declared,
      config: {
        name: 'support-desk',
        emptyTimeout: 60,
        agents: [{ agentName: 'receptionist', metadata: '{"lang":"en"}' }],
      },
    },
    {
      name: "only the Role's agents for an undeclared room",
      role: { grants: {}, agents: [{ agentName: 'interpreter' }] },
      room: undefined,
      config: { name: 'support-desk', agents: [{ agentName: 'interpreter' }] },
    },
  ])('carries $name', ({ role, room, config }) => {
    const r = buildTokenRequest({
      room: 'support-desk',
      identity: 'guest-1',
      role,
      ...(room !== undefined ? { declared: room } : {}),
    });

    expect(r.roomConfig).toEqual(config);
  });

  it('has no roomConfig for an undeclared room and a Role without agents', () => {
    const r = buildTokenRequest({ room: 'elsewhere', identity: 'i', role: { grants: {} } });

    expect(r.roomConfig).toBeUndefined();
  });
});
