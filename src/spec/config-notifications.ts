/** Checks of `notifications:` that a JSON schema cannot say, each at its file:line:col. */
import { diagnostic, type Diagnostic } from '../core/diagnostics.ts';
import type { ProjectConfigInput } from './config-schema.ts';
import { parseDuration } from './duration.ts';
import type { Locator } from './positions.ts';

export function notificationDiagnostics(
  input: ProjectConfigInput,
  file: string,
  locate: Locator,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  (input.notifications?.sinks ?? []).forEach((sink, i) => {
    const at = (...p: string[]) => ({ file, ...locate(['notifications', 'sinks', i, ...p]) });
    if (sink.dedupWindow !== undefined && parseDuration(sink.dedupWindow) === 0) {
      out.push(
        diagnostic('E_DURATION', 'dedupWindow must be longer than 0', at('dedupWindow'), {
          path: `notifications.sinks.${i}.dedupWindow`,
        }),
      );
    }
    if ((sink.slack === undefined) === (sink.webhook === undefined)) {
      out.push(
        diagnostic('E_MISSING_FIELD', 'a sink has exactly one of slack or webhook', at(), {
          path: `notifications.sinks.${i}`,
        }),
      );
    }
    if (sink.webhook && typeof sink.webhook.url === 'string') {
      // A credential in a URL written into the file is a secret in git: reference it instead.
      if (
        /^[a-z]+:\/\/[^/@]*@/i.test(sink.webhook.url) ||
        /[?&](token|key|secret|sig)=/i.test(sink.webhook.url)
      ) {
        out.push(
          diagnostic(
            'E_SECRET_REF',
            'webhook.url holds a credential; write it as { fromEnv: NAME }',
            at('webhook', 'url'),
            { path: `notifications.sinks.${i}.webhook.url` },
          ),
        );
      }
    }
  });
  return out;
}
