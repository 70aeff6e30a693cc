/** Role in the registry: a named grant set that `token` and ModerationRules read. */
import type { KindModule } from '../kind.ts';

export const roleModule: KindModule = {
  kind: 'Role',
  docs: 'docs/token.md',
  notImportable: 'nothing of a Role lives in LiveKit',
  notReconciled: 'a grant set read by `token` and ModerationRules; nothing of it lives in LiveKit',
};
