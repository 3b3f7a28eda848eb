import { Cluster, type Redis } from 'ioredis';

/**
 * A connection to the deployment's Redis: one server or a Redis Cluster. Every key a command,
 * MULTI or Lua script of dirsync touches at once shares one hash tag (see keys.ts), so both answer alike.
 */
export type RedisConnection = Redis | Cluster;

/** A new connection to the same Redis, with the same options. */
export function duplicateConnection(connection: RedisConnection): RedisConnection {
  // The two classes' duplicate() differ in their parameters, so the union has no callable one.
  return connection instanceof Cluster ? connection.duplicate() : connection.duplicate();
}
