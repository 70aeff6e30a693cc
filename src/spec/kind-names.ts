/** The kinds by name, without their schemas (typebox stays out of the loader's start-up). */
export const KINDS = [
  'Room',
  'RecordingPolicy',
  'ModerationRule',
  'Role',
  'Ingress',
  'SIPInboundTrunk',
  'SIPOutboundTrunk',
  'SIPDispatchRule',
  'AgentPolicy',
] as const;

export type Kind = (typeof KINDS)[number];

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}
