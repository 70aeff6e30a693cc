/** Ingress in the registry: a persistent kind (see sip-common/module.ts). */
import { persistentModule } from '../sip-common/module.ts';
import { ingressKind } from './kind.ts';

export const ingressModule = persistentModule(ingressKind, 'ingress');
