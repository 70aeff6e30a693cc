/** SIPInboundTrunk in the registry: a persistent kind (see sip-common/module.ts). */
import { persistentModule } from '../sip-common/module.ts';
import { sipInboundKind } from './kind.ts';

export const sipInboundModule = persistentModule(sipInboundKind, 'inbound');
