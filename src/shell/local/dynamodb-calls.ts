/**
 * An SDK middleware on the local stack's DynamoDB clients: it counts calls by operation
 * (what the bench reports per accepted mutation) and tells the stream pollers after every
 * write, so they poll at once instead of waiting out their idle backoff.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

export interface DynamoDBCallCounter {
  /** Calls so far by operation (one per call, whatever the SDK's retries). */
  readonly counts: Readonly<Record<string, number>>;
  reset(): void;
}

export function observeDynamoDBCalls(clients: readonly (DynamoDBClient | DynamoDBStreamsClient)[], onWrite: () => void): DynamoDBCallCounter {
  let counts: Record<string, number> = {};
  for (const client of clients) {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        counts[operation] = (counts[operation] ?? 0) + 1;
        const result = await next(args);
        if (WRITES.has(operation)) onWrite();
        return result;
      },
      { step: 'initialize', name: 'visitplannrCallObserver' },
    );
  }
  return {
    get counts() {
      return counts;
    },
    reset: () => void (counts = {}),
  };
}
