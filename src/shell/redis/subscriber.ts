/**
 * One long-lived subscriber connection per process, multiplexing every in-flight
 * request: channels are subscribed on first interest and unsubscribed when the last
 * waiter leaves. Subscribe and unsubscribe of a channel run one after another, so a
 * request never waits on a channel that a leaving request is tearing down.
 */
import type { Notification } from '../../domain/notifications.js';
import type { NotificationSubscriber, Subscription } from '../../ports/index.js';
import { withDeadline } from '../runtime/deadline.js';
import { notificationChannel } from './channels.js';
import type { RedisConnection } from './connection.js';
import { pubSubOver } from './pubsub.js';

type Listener = (notification: Notification) => void;

interface ChannelState {
  readonly listeners: Set<Listener>;
  /** The last subscribe/unsubscribe issued for this channel; the next one waits for it. */
  operations: Promise<unknown>;
}

export interface RedisSubscriberOptions {
  /** A dedicated connection: once subscribed, it can run no other commands. */
  readonly redis: RedisConnection;
  readonly namespace: string;
  /** How long to wait for the broker's acknowledgement of a SUBSCRIBE. */
  readonly ackTimeoutMs: number;
  /**
   * The same, until a first SUBSCRIBE has been acknowledged: after a cold start it may still
   * wait for a connection (in a cluster, the owning shard's subscriber). Default: ackTimeoutMs.
   */
  readonly firstAckTimeoutMs?: number;
  /** Told how long the first acknowledged SUBSCRIBE of this subscriber took: a cold-start figure. */
  readonly onFirstAck?: (elapsedMs: number) => void;
  readonly onMalformedMessage?: (channel: string, error: unknown) => void;
}

export function createRedisSubscriber({
  redis,
  namespace,
  ackTimeoutMs,
  firstAckTimeoutMs,
  onFirstAck,
  onMalformedMessage,
}: RedisSubscriberOptions): NotificationSubscriber {
  const channels = new Map<string, ChannelState>();
  let acknowledged = false;
  const pubsub = pubSubOver(redis);

  pubsub.onMessage((channel, message) => {
    const state = channels.get(channel);
    if (!state) return;
    let notification: Notification;
    try {
      notification = JSON.parse(message) as Notification;
    } catch (error) {
      onMalformedMessage?.(channel, error);
      return;
    }
    for (const listener of state.listeners) listener(notification);
  });

  const enqueue = (state: ChannelState, operation: () => Promise<unknown>): Promise<unknown> => {
    state.operations = state.operations.catch(() => undefined).then(operation);
    return state.operations;
  };

  // Channels whose UNSUBSCRIBE failed (Redis away): the client resubscribes them on reconnect,
  // so they are unsubscribed again once it is back, unless a request wants them by then.
  const idle = new Set<string>();
  redis.on('ready', () => {
    for (const channel of idle) {
      idle.delete(channel);
      if (!channels.has(channel)) pubsub.unsubscribe(channel).catch(() => idle.add(channel));
    }
  });

  const leave = async (channel: string, state: ChannelState, listener: Listener): Promise<void> => {
    if (!state.listeners.delete(listener) || state.listeners.size > 0) return;
    await enqueue(state, async () => {
      if (state.listeners.size > 0) return;
      await withDeadline(pubsub.unsubscribe(channel), ackTimeoutMs, 'redis unsubscribe');
    }).catch(() => idle.add(channel));
    if (state.listeners.size === 0 && channels.get(channel) === state) channels.delete(channel);
  };

  return {
    async subscribe(correlationId): Promise<Subscription> {
      const channel = notificationChannel(namespace, correlationId);
      let state = channels.get(channel);
      if (!state) {
        state = { listeners: new Set(), operations: Promise.resolve() };
        channels.set(channel, state);
      }
      const queue: Notification[] = [];
      let wake: (() => void) | null = null;
      const listener: Listener = (notification) => {
        queue.push(notification);
        wake?.();
      };
      const isFirst = state.listeners.size === 0;
      state.listeners.add(listener);
      const current = state;
      const started = Date.now();
      const timeoutMs = acknowledged ? ackTimeoutMs : (firstAckTimeoutMs ?? ackTimeoutMs);
      try {
        // Every caller waits for the channel's latest SUBSCRIBE to be acknowledged. The
        // deadline sits inside the queue too, so a hung SUBSCRIBE cannot block later operations.
        const subscribed = isFirst
          ? enqueue(current, () => withDeadline(pubsub.subscribe(channel), timeoutMs, 'redis subscribe'))
          : current.operations;
        await withDeadline(subscribed, timeoutMs, 'redis subscribe');
        if (!acknowledged) {
          acknowledged = true;
          onFirstAck?.(Date.now() - started);
        }
      } catch (error) {
        await leave(channel, current, listener);
        throw error;
      }

      return {
        async next(deadlineAt) {
          for (;;) {
            const queued = queue.shift();
            if (queued) return queued;
            const remaining = deadlineAt - Date.now();
            if (remaining <= 0) return null;
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, remaining);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
          }
        },
        close: () => leave(channel, current, listener),
      };
    },
  };
}
