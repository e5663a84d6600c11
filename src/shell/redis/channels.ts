/** Channels are namespaced so several stacks (or test runs) can share one Redis. */
export const notificationChannel = (namespace: string, correlationId: string): string =>
  `${namespace}:command:${correlationId}`;
