/**
 * SIPDispatchRule in the registry: a persistent kind (see sip-common/module.ts). A rule names
 * inbound trunks by spec name: it is planned after them (it reads their settled ids) and applied
 * after them (a trunk created by the same apply has an id only once its phase ran).
 */
import { persistentModule } from '../sip-common/module.ts';
import { sipDispatchKind } from './kind.ts';

export const sipDispatchModule = persistentModule(sipDispatchKind, 'rules', {
  dependsOn: ['SIPInboundTrunk'],
  applyAfter: ['SIPInboundTrunk'],
});
