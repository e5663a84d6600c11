/**
 * DynamoDB fault injection at the client, for drills and tests: an SDK middleware placed
 * inside the SDK's retry middleware makes chosen operations fail the way DynamoDB fails
 * (throttling, a 500, or a response lost after the write took effect), so the SDK's own
 * retry strategy and then the handlers' failure paths run exactly as in production.
 */
import { createServer, type Server } from 'node:net';
import {
  type DynamoDBClient,
  InternalServerError,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';

export type DynamoDBFault =
  /** Refused before it reaches the table: ProvisionedThroughputExceededException (throttling). */
  | 'throttling'
  /** Refused before it reaches the table: InternalServerError (HTTP 500, transient). */
  | 'internal-error'
  /** The write takes effect, then the caller sees a 500, as when a response is lost. */
  | 'lost-response'
  /**
   * The attempt goes to a server that accepts the connection and never answers, so the
   * client's own request timeout ends it (TimeoutError), as with a silent network path.
   */
  | 'no-response';

export interface DynamoDBFaultPlan {
  /** The DynamoDB operation, e.g. `TransactWriteItems`, `PutItem`. */
  readonly operation: string;
  readonly fault: DynamoDBFault;
  /** How many calls of the operation fail, counting every SDK attempt. */
  readonly count: number;
}

export interface DynamoDBFaultInjector {
  inject(plan: DynamoDBFaultPlan): void;
  clear(): void;
  /** Faults raised so far, by operation. */
  readonly raised: Readonly<Record<string, number>>;
}

/** A loopback port that accepts connections and never answers; it keeps no process alive. */
let silentServer: Promise<number> | undefined;
function silentPort(): Promise<number> {
  silentServer ??= new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => {
      socket.unref();
      socket.on('error', () => undefined);
    });
    server.unref();
    server.once('error', reject).listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('the silent server has no port'));
    });
  });
  return silentServer;
}

export function injectDynamoDBFaults(client: DynamoDBClient): DynamoDBFaultInjector {
  const plans: { operation: string; fault: DynamoDBFault; remaining: number }[] = [];
  const raised: Record<string, number> = {};
  const take = (operation: string): DynamoDBFault | null => {
    const plan = plans.find((candidate) => candidate.operation === operation && candidate.remaining > 0);
    if (!plan) return null;
    plan.remaining--;
    raised[operation] = (raised[operation] ?? 0) + 1;
    return plan.fault;
  };
  const failure = (fault: DynamoDBFault, operation: string): Error =>
    fault === 'throttling'
      ? new ProvisionedThroughputExceededException({
          message: `injected: ${operation} throttled`,
          $metadata: { httpStatusCode: 400 },
        })
      : new InternalServerError({ message: `injected: ${operation} failed`, $metadata: { httpStatusCode: 500 } });

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      const fault = take(operation);
      if (!fault) return next(args);
      if (fault === 'no-response') {
        // Only the address changes: the attempt is the real request, on the real HTTP handler.
        return next({
          ...args,
          request: { ...(args.request as object), protocol: 'http:', hostname: '127.0.0.1', port: await silentPort() },
        });
      }
      if (fault === 'lost-response') await next(args);
      throw failure(fault, operation);
    },
    // finalizeRequest/low runs inside the retry middleware (finalizeRequest/high): each attempt can fail.
    { step: 'finalizeRequest', priority: 'low', name: 'visitplannrFaultInjection' },
  );
  return {
    inject: (plan) => void plans.push({ operation: plan.operation, fault: plan.fault, remaining: plan.count }),
    clear: () => void plans.splice(0),
    raised,
  };
}
