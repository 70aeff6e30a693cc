/** LiveKit's limit on room metadata. */
export const ROOM_METADATA_MAX = 512 * 1024;

/**
 * Agent names are matched byte for byte against the `agentName` a worker registered; LiveKit
 * checks nothing, so this keeps to what deploys and CLIs can carry safely: letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit, at most 128 characters.
 */
export const AGENT_NAME_MAX = 128;
export const AGENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
/** Job metadata travels in the dispatch and, for tokens, inside the JWT: kept to 64 KiB. */
export const AGENT_METADATA_MAX = 64 * 1024;
