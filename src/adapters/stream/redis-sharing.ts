/**
 * What replicas on the Redis backend share beyond the state: the webhook stream and the status
 * documents, wired so that a status write acknowledges the entries whose folds it persists. The
 * leader may also export the statuses to a directory (the files the file backend writes).
 */
import { hostname } from 'node:os';
import type { StatusSink } from '../status/status-sink.ts';
import { mirroredSink } from '../status/status-sink.ts';
import { statusFilesSink } from '../status/status-files.ts';
import { redisStatusSink } from '../status/redis-status.ts';
import { createAckQueue, type AckQueue } from './ack-queue.ts';
import { createEventStream, type EventStream, type StreamReader } from './event-stream.ts';
import type { RedisConnection } from './redis-client.ts';

export interface RedisSharingOptions {
  connection: RedisConnection;
  maxBacklog: number;
  /** Also write every status document as a file here. */
  exportDir?: string;
  onError: (err: unknown) => void;
}

export interface RedisSharing {
  stream: EventStream;
  acks: AckQueue;
  statusSink: StatusSink;
  /**
   * Status writes happen only while `fence` says so (this process leads): a deposed leader's
   * late flush neither overwrites its successor's documents nor acknowledges entries.
   */
  setWriteFence(fence: () => boolean): void;
  /** A reader on a connection of its own, named after this host and process. */
  newReader(): StreamReader;
  where: string;
  close(): Promise<void>;
}

export function openRedisSharing(o: RedisSharingOptions): RedisSharing {
  const { client, prefix } = o.connection;
  const stream = createEventStream({ client, prefix, maxBacklog: o.maxBacklog });
  const acks = createAckQueue();
  let fence: () => boolean = () => true;
  const redis = redisStatusSink({
    client,
    prefix,
    mayWrite: () => fence(),
    alsoCommit(tx) {
      const ids = acks.take();
      stream.ackIn(tx, ids);
      return (ok) => {
        if (!ok) acks.putBack(ids);
      };
    },
  });
  const statusSink = o.exportDir
    ? mirroredSink(redis, [statusFilesSink(o.exportDir, o.onError)], o.onError)
    : redis;
  const name = `${hostname()}-${process.pid}`;
  return {
    stream,
    acks,
    statusSink,
    setWriteFence: (f) => (fence = f),
    newReader: () => stream.reader(name, o.connection.duplicate()),
    where: `${o.connection.where} ${stream.key}`,
    close: () => o.connection.close(),
  };
}
