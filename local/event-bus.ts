/**
 * A local EventBridge bus: an HTTP endpoint that speaks PutEvents (AWS JSON 1.1), so
 * the fan-out runs the real `@aws-sdk/client-eventbridge` client; rules derived from
 * the topology route each entry to its targets, invoked asynchronously with retries
 * and a dead-letter store, as EventBridge → Lambda does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { EventBridgeEvent } from 'aws-lambda';
import { type EventPattern, matchesPattern } from '../src/topology/topology.js';
import type { Log } from '../src/shell/runtime/logger.js';
import { createAsyncInvoker } from './async-invoke.js';
import type { DeadLetterStore } from './dead-letters.js';
import type { RetryPolicy } from './event-source-mapping.js';
import { closeServer, readBody } from './http.js';
import type { LocalFunction } from './local-function.js';

export interface LocalRule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: LocalFunction<EventBridgeEvent<string, Record<string, unknown>>, void>;
}

export interface LocalEventBus {
  readonly endpoint: string;
  /** Resolves when every delivery started so far has finished (or been dead-lettered). */
  idle(): Promise<void>;
  /** Deliveries under way, by target function. */
  inFlight(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number | string;
  Resources?: string[];
}

export async function startLocalEventBus(options: {
  rules: readonly LocalRule[];
  retry: RetryPolicy;
  deadLetters: DeadLetterStore;
  log: Log;
}): Promise<LocalEventBus> {
  const invoker = createAsyncInvoker(options);

  const putEvents = (entries: PutEventsEntry[]) =>
    entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail)
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
      let detail: Record<string, unknown>;
      try {
        detail = JSON.parse(entry.Detail) as Record<string, unknown>;
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      const id = randomUUID();
      const event: EventBridgeEvent<string, Record<string, unknown>> = {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: '000000000000',
        time: toIsoTime(entry.Time),
        region: 'local',
        resources: entry.Resources ?? [],
        detail,
      };
      for (const rule of options.rules) {
        if (matchesPattern(rule.pattern, event)) invoker.invoke(rule.target, event, rule.name);
      }
      return { EventId: id };
    });

  const server: Server = createServer((request, response) => {
    readBody(request)
      .then((body) => {
        if (request.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
          response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          response.end(
            JSON.stringify({ __type: 'UnknownOperationException', message: 'the local bus serves PutEvents only' }),
          );
          return;
        }
        const { Entries = [] } = JSON.parse(body) as { Entries?: PutEventsEntry[] };
        const results = putEvents(Entries);
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(
          JSON.stringify({
            Entries: results,
            FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
          }),
        );
      })
      .catch((error: unknown) => {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify({ __type: 'ValidationException', message: String(error) }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    idle: () => invoker.idle(),
    inFlight: () => invoker.inFlight(),
    async stop() {
      await closeServer(server);
    },
  };
}

function toIsoTime(time: number | string | undefined): string {
  // The SDK sends Time as epoch seconds.
  if (typeof time === 'number') return new Date(time * 1000).toISOString();
  return time ? new Date(time).toISOString() : new Date().toISOString();
}
