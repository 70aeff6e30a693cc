/** SIPOutboundTrunk in the registry: a persistent kind (see sip-common/module.ts). */
import { persistentModule } from '../sip-common/module.ts';
import { sipOutboundKind } from './kind.ts';

export const sipOutboundModule = persistentModule(sipOutboundKind, 'outbound');
