/**
 * The three pub/sub operations the notifier needs, over either kind of connection.
 * A cluster uses sharded pub/sub: a channel lives on the shard that owns its hash slot,
 * so a message crosses no cluster bus and each command's channel scales with the shards.
 * Classic PUBLISH on a cluster would broadcast every notification to every node.
 */
import { Cluster } from 'ioredis';
import type { RedisConnection } from './connection.js';

export interface PubSub {
  /** Resolves once the broker has acknowledged the subscription. */
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  onMessage(listener: (channel: string, message: string) => void): void;
}

export function pubSubOver(connection: RedisConnection): PubSub {
  if (connection instanceof Cluster) {
    return {
      subscribe: (channel) => connection.ssubscribe(channel),
      unsubscribe: (channel) => connection.sunsubscribe(channel),
      publish: (channel, message) => connection.spublish(channel, message),
      onMessage: (listener) => connection.on('smessage', listener),
    };
  }
  return {
    subscribe: (channel) => connection.subscribe(channel),
    unsubscribe: (channel) => connection.unsubscribe(channel),
    publish: (channel, message) => connection.publish(channel, message),
    onMessage: (listener) => connection.on('message', listener),
  };
}
