/**
 * A local EventBridge bus: an HTTP endpoint that speaks PutEvents (AWS JSON 1.1), so
 * the fan-out runs the real `@aws-sdk/client-eventbridge` client; rules derived from
 * the topology route each entry to its targets, invoked asynchronously with retries
 * and a dead-letter store, as EventBridge → Lambda does. On request (`faults`) it refuses
 * chosen entries as EventBridge does under trouble: the call succeeds, and each refused
 * entry carries an ErrorCode and counts in FailedEntryCount.
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
  /** Every entry PutEvents was sent, in arrival order, with what it was answered. */
  readonly received: readonly ReceivedEntry[];
  /** Makes PutEvents refuse chosen entries. */
  readonly faults: EventBusFaults;
  /** Resolves when every delivery started so far has finished (or been dead-lettered). */
  idle(): Promise<void>;
  /** Deliveries under way, by target function. */
  inFlight(): ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/** An entry as the bus received it. */
export interface ReceivedEntry {
  /** The PutEvents call it came in, counted from 1: the entries of one call share it. */
  readonly call: number;
  readonly detailType: string | undefined;
  /** The correlation id of the record in its detail, if any. */
  readonly correlationId: string | undefined;
  /** Set when the entry was refused (it reached no rule); absent when it was accepted. */
  readonly errorCode?: string;
}

export interface EventBusFaults {
  /**
   * Entries for which `refuses` holds are answered with `errorCode` (default
   * `InternalFailure`, EventBridge's answer for an entry it could not take) and reach no
   * rule; the others of the same call are delivered. Stays until `acceptEntries()`.
   */
  refuseEntries(
    refuses: (entry: { readonly detailType: string; readonly detail: Record<string, unknown> }) => boolean,
    options?: { readonly errorCode?: string },
  ): void;
  acceptEntries(): void;
}

/** An entry as PutEvents carries it over the wire (the SDK sends Time as epoch seconds). */
export interface PutEventsEntry {
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
  const received: ReceivedEntry[] = [];
  let calls = 0;
  let refusal: { refuses: Parameters<EventBusFaults['refuseEntries']>[0]; errorCode: string } | null = null;

  type Answer = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

  const putEvents = (entries: PutEventsEntry[]): Answer[] => {
    const call = ++calls;
    return entries.map((entry) => {
      const { answer, detail } = putEntry(entry);
      const correlationId = detail?.['correlationId'];
      received.push({
        call,
        detailType: entry.DetailType,
        correlationId: typeof correlationId === 'string' ? correlationId : undefined,
        ...('ErrorCode' in answer ? { errorCode: answer.ErrorCode } : {}),
      });
      return answer;
    });
  };

  const putEntry = (entry: PutEventsEntry): { answer: Answer; detail?: Record<string, unknown> } => {
    if (!entry.Source || !entry.DetailType || !entry.Detail)
      return {
        answer: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' },
      };
    let detail: Record<string, unknown>;
    try {
      detail = JSON.parse(entry.Detail) as Record<string, unknown>;
    } catch {
      return { answer: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' } };
    }
    if (refusal?.refuses({ detailType: entry.DetailType, detail }))
      return {
        answer: { ErrorCode: refusal.errorCode, ErrorMessage: 'the local bus refuses this entry (an injected fault)' },
        detail,
      };
    const event = busEventFor({ ...entry, Source: entry.Source, DetailType: entry.DetailType }, detail);
    for (const rule of options.rules) {
      if (matchesPattern(rule.pattern, event)) invoker.invoke(rule.target, event, rule.name);
    }
    return { answer: { EventId: event.id }, detail };
  };

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
    received,
    faults: {
      refuseEntries(refuses, { errorCode = 'InternalFailure' } = {}) {
        refusal = { refuses, errorCode };
      },
      acceptEntries() {
        refusal = null;
      },
    },
    idle: () => invoker.idle(),
    inFlight: () => invoker.inFlight(),
    async stop() {
      await closeServer(server);
    },
  };
}

/** The event a rule's target is invoked with for an accepted entry, as EventBridge makes it. */
export function busEventFor(
  entry: Omit<PutEventsEntry, 'Source' | 'DetailType'> & { readonly Source: string; readonly DetailType: string },
  detail: Record<string, unknown>,
): EventBridgeEvent<string, Record<string, unknown>> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '000000000000',
    time: toIsoTime(entry.Time),
    region: 'local',
    resources: entry.Resources ?? [],
    detail,
  };
}

function toIsoTime(time: number | string | undefined): string {
  // The SDK sends Time as epoch seconds.
  if (typeof time === 'number') return new Date(time * 1000).toISOString();
  return time ? new Date(time).toISOString() : new Date().toISOString();
}
