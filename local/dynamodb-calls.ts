/**
 * An SDK middleware on the local stack's DynamoDB clients: it counts calls by operation
 * (what the bench reports per accepted mutation) and reports every write once it
 * succeeded, with the items it wrote, so a stream poller whose records someone waits for
 * polls at once instead of waiting out its backoff.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

export interface DynamoDBCallCounter {
  /** Calls so far by operation (one per call, whatever the SDK's retries). */
  readonly counts: Readonly<Record<string, number>>;
  reset(): void;
}

/** An item a write request put (single puts, transactions, batches), with its table; `type` as stored. */
export interface WrittenItem {
  readonly table: string;
  readonly type: string | undefined;
}

type AttributeMap = Record<string, { S?: string } | undefined>;

/** What a write request puts: enough to tell which stream records it makes. */
function itemsWritten(input: Record<string, unknown>): WrittenItem[] {
  const typeOf = (item: AttributeMap | undefined) => item?.['type']?.S;
  if (typeof input['TableName'] === 'string')
    return [{ table: input['TableName'], type: typeOf(input['Item'] as AttributeMap | undefined) }];
  if (Array.isArray(input['TransactItems'])) {
    return (input['TransactItems'] as Record<string, { TableName: string; Item?: AttributeMap }>[]).flatMap((entry) =>
      Object.values(entry).map((action) => ({ table: action.TableName, type: typeOf(action.Item) })),
    );
  }
  const batches = (input['RequestItems'] ?? {}) as Record<string, { PutRequest?: { Item?: AttributeMap } }[]>;
  return Object.entries(batches).flatMap(([table, requests]) =>
    requests.map((request) => ({ table, type: typeOf(request.PutRequest?.Item) })),
  );
}

export function observeDynamoDBCalls(
  clients: readonly (DynamoDBClient | DynamoDBStreamsClient)[],
  onWrite: (items: readonly WrittenItem[]) => void,
): DynamoDBCallCounter {
  let counts: Record<string, number> = {};
  for (const client of clients) {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        counts[operation] = (counts[operation] ?? 0) + 1;
        const result = await next(args);
        if (WRITES.has(operation)) onWrite(itemsWritten(args.input as Record<string, unknown>));
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
