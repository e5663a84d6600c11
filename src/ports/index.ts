/**
 * The small interfaces the core needs from the outside world. Adapters live in
 * src/shell (DynamoDB, Redis); tests and the local stack pass the same adapters.
 */
import type { Destination } from '../domain/destination.js';
import type { RecordedAnswer } from '../domain/journey.js';
import type { AnyRecord, Command, CommandOutcome } from '../domain/messages.js';
import type { Notification } from '../domain/notifications.js';
import type { Forgetting, Publication, PublicationHistory } from '../domain/publications.js';
import type { RecentDestinations } from '../domain/recent-destinations.js';
import type { TraceCarrier } from '../domain/trace.js';

/**
 * A stored read model or object with the creation context of the write that stored it: what a
 * consumer fed by its change links to (DynamoDB Streams and S3 notifications carry none of
 * their own). Kept beside the value, never inside it, so no domain object or GraphQL answer
 * holds a trace. None for a write made with tracing off.
 */
export interface Traced<T> {
  readonly value: T;
  readonly trace?: TraceCarrier;
}

export type AppendCommandResult = { readonly created: true } | { readonly created: false; readonly existing: Command };

/**
 * Records appended all or none, with the read models folded from them (inline projection):
 * each view is written only over the version it was folded from.
 */
export interface AppendUnit {
  readonly records: readonly AnyRecord[];
  readonly destinations?: readonly { readonly destination: Destination; readonly previousVersion: number }[];
  /** The append's creation context, stored with each of its views (its records carry it in their own metadata). */
  readonly trace?: TraceCarrier;
}

/** `conflict`: a position (or view) was already taken, so another delivery of the same cause got there first. */
export type AppendOutcome = 'appended' | 'conflict';

export interface EventStore {
  /** Writes a command as the first record of its stream; a duplicate is reported, not written. */
  appendCommand(command: Command): Promise<AppendCommandResult>;
  /** Appends all records or none; throws ExpectedVersionConflictError when a position is taken. */
  appendAtomically(records: readonly AnyRecord[]): Promise<void>;
  /**
   * Appends many independent units, each atomically, in as few round trips as fit (what a
   * batch of records caused). Returns each unit's outcome, in order; throws
   * PartialAppendError naming the failed units when some of its transactions failed.
   */
  appendUnits(units: readonly AppendUnit[]): Promise<AppendOutcome[]>;
  /** Records of a stream after `afterVersion`, in order, read strongly consistently. */
  readStream(streamId: string, afterVersion?: number): Promise<AnyRecord[]>;
  /** The command's outcome, or null while it is pending. */
  readOutcome(correlationId: string): Promise<CommandOutcome | null>;
  /** The command itself, or null when unknown. */
  readCommand(correlationId: string): Promise<Command | null>;
}

export interface ReadModelStore {
  getDestination(id: string): Promise<Destination | null>;
  /**
   * The stored views of these destinations (unknown ones are left out), in one round trip per 100,
   * read strongly consistently, each with the trace of the append that stored it.
   */
  getDestinations(ids: readonly string[]): Promise<Traced<Destination>[]>;
  /** Stores the destination unless a newer or equal version is already stored; returns whether it wrote. */
  putDestination(destination: Destination): Promise<boolean>;
  /** The recent list, with the trace of the write that stored it. */
  getRecent(): Promise<Traced<RecentDestinations>>;
  /**
   * Writes `next` (with `trace`, its writer's creation context, when given) if the stored
   * projection is still at `expectedVersion`; throws ExpectedVersionConflictError otherwise.
   */
  putRecent(next: RecentDestinations, expectedVersion: number, trace?: TraceCarrier): Promise<void>;
  /** The homepage's publication history (domain/publications.ts), read strongly consistently. */
  getPublications(): Promise<PublicationHistory>;
  /**
   * Records a publication and forgets what `forgetting` names; commutes with every other record
   * and mark, so never conflicts.
   */
  recordPublication(publication: Publication, forgetting: Forgetting): Promise<void>;
  /**
   * Marks the page with `etag` invalidated at `at` (before or after its publication is recorded;
   * the first mark stays).
   */
  markInvalidated(etag: string, at: string): Promise<void>;
}

export interface NotificationPublisher {
  publish(notification: Notification): Promise<void>;
}

export interface Subscription {
  /** Resolves with the next notification, or null once `deadlineAt` (epoch ms) passes. */
  next(deadlineAt: number): Promise<Notification | null>;
  close(): Promise<void>;
}

export interface NotificationSubscriber {
  /** Resolves once the subscription is acknowledged by the broker, so nothing published afterwards is missed. */
  subscribe(correlationId: string): Promise<Subscription>;
}

/**
 * Tracing as the write path uses it; src/shell/telemetry implements it (with no SDK registered it
 * only calls through: no span, no carrier, no link).
 */
export interface WritePathTracing {
  /**
   * Runs `write` inside a PRODUCER span for the command written to the event table, handing it the
   * command with the span's carrier (the decider links to it); the command itself when tracing is off.
   */
  inCommandWrite<T>(command: Command, write: (traced: Command) => Promise<T>): Promise<T>;
  /** Links the active span (the request's) to the span that made `carrier`; a no-op without either. */
  linkActiveSpan(carrier: TraceCarrier | undefined, attributes?: Readonly<Record<string, string>>): void;
}

/** An object as the site serves it: body plus the headers a CDN and browser act on. */
export interface SiteObject {
  readonly key: string;
  readonly body: string;
  readonly contentType: string;
  readonly cacheControl: string;
  /** Stored as object metadata; the renderer's guard against writing an older page over a newer one. */
  readonly projectionVersion?: number;
}

/** What the site bucket holds at a key now, or null when nothing does. */
export interface PublishedObject {
  readonly etag: string;
  readonly projectionVersion: number | null;
}

export interface SiteBucket {
  /** What is published at `key`, with the trace of the write that published it. */
  head(key: string): Promise<Traced<PublishedObject> | null>;
  /**
   * Writes the object (with `trace`, its writer's creation context, when given) only if the key
   * still holds `expected` (its etag), or nothing when `expected` is null; throws
   * PublishConflictError when another write got there first. Resolves with the written object's etag.
   */
  put(object: SiteObject, expected: PublishedObject | null, trace?: TraceCarrier): Promise<string>;
}

/** A CDN invalidation of some paths; the same caller reference twice is the same invalidation. */
export interface InvalidationRequest {
  readonly callerReference: string;
  readonly paths: readonly string[];
}

export interface CdnInvalidator {
  /** Invalidates the paths on the adapter's distribution; returns the invalidation's id. */
  invalidate(request: InvalidationRequest): Promise<string>;
}

/**
 * How the API answered each command's request, kept beside the notifications (in the cache, for
 * a day) rather than in DynamoDB: recording it adds no write to the table on the mutation's path.
 */
export interface AnswerLog {
  /**
   * Records the answer unless one is recorded already (the first request's answer stays). Rejects
   * past the adapter's short deadline.
   */
  record(correlationId: string, answer: RecordedAnswer): Promise<void>;
  /** The recorded answer, or null when there is none (not answered yet, expired, or the cache was away). */
  read(correlationId: string): Promise<RecordedAnswer | null>;
}
