/**
 * The moderation inputs of a loaded project: the ModerationRules, the Roles they name, and the
 * labels of declared rooms (for `rooms.labels` selectors).
 */
import type { LoadedSpec } from '../../spec/types.ts';
import type { RoleSpec } from '../role/schema.ts';
import type { ModerationRuleDef } from './decide.ts';

export interface ModerationSpecs {
  rules: ModerationRuleDef[];
  roles: Map<string, RoleSpec>;
  declaredLabels: Map<string, Record<string, string>>;
}

export function moderationSpecsOf(specs: readonly LoadedSpec[]): ModerationSpecs {
  const out: ModerationSpecs = { rules: [], roles: new Map(), declaredLabels: new Map() };
  for (const s of specs) {
    if (s.kind === 'ModerationRule') {
      out.rules.push({
        name: s.name,
        spec: s.spec,
        source: { file: s.source.file, line: s.source.line, col: s.source.col },
      });
    } else if (s.kind === 'Role') {
      out.roles.set(s.name, s.spec);
    } else if (s.kind === 'Room') {
      out.declaredLabels.set(s.name, s.labels);
    }
  }
  return out;
}
