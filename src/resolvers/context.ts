import type {
  AnswerLog,
  EventStore,
  NotificationSubscriber,
  ReadModelStore,
  WritePathTracing,
} from '../ports/index.js';

/** What every resolver receives; the composition root (a Lambda or the local stack) builds it. */
export interface GraphQLContext {
  readonly eventStore: EventStore;
  readonly readModels: ReadModelStore;
  readonly notifications: NotificationSubscriber;
  /** Where the resolver records how it answered each command (a command's journey reads it). */
  readonly answers: AnswerLog;
  /** ISO-8601 now. */
  readonly clock: () => string;
  readonly newId: () => string;
  /** How long a mutation waits for its outcome before answering CommandPending. */
  readonly mutationDeadlineMs: number;
  /** How often to read the durable outcome when notifications are unavailable. */
  readonly outcomePollIntervalMs: number;
  readonly log: ResolverLog;
  /** The command write's span and the links to the notifications that answer it. */
  readonly tracing: WritePathTracing;
}

export interface ResolverLog {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
}
