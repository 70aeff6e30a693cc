/** The parts of a loaded spec the persistent kinds read (any of their four kinds). */
import type {
  LoadedIngress,
  LoadedSIPDispatchRule,
  LoadedSIPInboundTrunk,
  LoadedSIPOutboundTrunk,
} from '../../spec/types.ts';

export type SpecBase = Pick<
  LoadedIngress | LoadedSIPInboundTrunk | LoadedSIPOutboundTrunk | LoadedSIPDispatchRule,
  'kind' | 'name' | 'spec' | 'source'
>;
