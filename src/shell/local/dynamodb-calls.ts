/**
 * An SDK middleware on the local stack's DynamoDB clients: it counts calls by operation
 * (what the bench reports per accepted mutation) and names the tables of every write once
 * it succeeded, so their stream pollers poll at once instead of waiting out their backoff.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

export interface DynamoDBCallCounter {
  /** Calls so far by operation (one per call, whatever the SDK's retries). */
  readonly counts: Readonly<Record<string, number>>;
  reset(): void;
}

/** The tables a write request touches (single-item writes, transactions, batches). */
function tablesWritten(input: Record<string, any>): string[] {
  if (typeof input['TableName'] === 'string') return [input['TableName']];
  if (Array.isArray(input['TransactItems'])) {
    return (input['TransactItems'] as Record<string, { TableName?: string }>[]).flatMap((item) => Object.values(item).map((action) => action.TableName ?? ''));
  }
  if (input['RequestItems']) return Object.keys(input['RequestItems']);
  return [];
}

export function observeDynamoDBCalls(clients: readonly (DynamoDBClient | DynamoDBStreamsClient)[], onWrite: (tables: ReadonlySet<string>) => void): DynamoDBCallCounter {
  let counts: Record<string, number> = {};
  for (const client of clients) {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        counts[operation] = (counts[operation] ?? 0) + 1;
        const result = await next(args);
        if (WRITES.has(operation)) onWrite(new Set(tablesWritten(args.input as Record<string, any>)));
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
