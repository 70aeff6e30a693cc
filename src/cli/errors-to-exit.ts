import {
  GitHubError,
  InvalidSpecsError,
  LiveKitError,
  LockHeldError,
  SafetyRefusal,
  StalePlanError,
  UsageError,
} from '../core/errors.ts';
import { ExitCode } from './exit-codes.ts';

export interface ReportedError {
  exitCode: ExitCode;
  /** One or more lines for stderr, without a stack trace. */
  message: string;
}

/** The one boundary that turns a thrown error into an exit code and a message. */
export function reportError(err: unknown, debug: boolean): ReportedError {
  if (err instanceof StalePlanError)
    return { exitCode: ExitCode.stalePlan, message: `Error: ${err.message}` };
  if (err instanceof LockHeldError) {
    const h = err.holder;
    const who = h
      ? `\n  Lock ID: ${h.id}\n  Held by: ${h.who}\n  Operation: ${h.operation}\n  Since: ${h.created}`
      : '';
    return { exitCode: ExitCode.lockHeld, message: `Error: ${err.message}${who}` };
  }
  if (err instanceof GitHubError)
    return { exitCode: ExitCode.githubFailed, message: `Error: ${err.message}` };
  if (err instanceof InvalidSpecsError)
    return { exitCode: ExitCode.error, message: `Error: ${err.message}` };
  if (err instanceof UsageError || err instanceof SafetyRefusal) {
    return { exitCode: ExitCode.error, message: `Error: ${err.message}` };
  }
  if (err instanceof LiveKitError) {
    // A first try against `livekit-server --dev` with the example specs ends here.
    const hint = /redis required/i.test(err.message)
      ? "\n  This LiveKit server has no Redis: Ingress, SIP and RecordingPolicy specs need one (LiveKit requires it for them). Give the server Redis, or name only the other specs' files (with a saved plan: apply plan.json <those files>)."
      : '';
    return {
      exitCode: ExitCode.error,
      message: `Error: LiveKit ${err.kind}: ${err.message}${hint}`,
    };
  }
  const detail =
    err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
  return {
    exitCode: ExitCode.error,
    message: `Internal error: ${detail}\nThis is a bug in livekit-gitops; please report it (set LKG_DEBUG=1 for a stack trace).`,
  };
}
