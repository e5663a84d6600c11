/**
 * The one shape of a handler: a pure decider. The shell's runner (src/shell/runner) does the
 * rest the same way for every route: it looks up what the decider names, asks it to decide,
 * carries out the writes (each conditional on the state decided from), and tells the waiting
 * callers. A write that finds the state changed makes it look up again and decide anew, so a
 * redelivered message is answered from what the first delivery stored: idempotence lives in
 * the conditional writes, not in the deciders.
 *
 * Adding a handler is a decider of this shape, a route in the topology and a test.
 */
import type { Destination } from '../domain/destination.js';
import type { AnyRecord, CommandOutcome } from '../domain/messages.js';
import type { Notification } from '../domain/notifications.js';
import type { Forgetting, Publication, PublicationHistory } from '../domain/publications.js';
import type { RecentDestinations } from '../domain/recent-destinations.js';
import type { AppendUnit, InvalidationRequest, PublishedObject, SiteObject } from '../ports/index.js';
import type { HandlerName } from '../topology/topology.js';

/** Everything a decider may ask to see, as stored now. */
export interface StoredState {
  /** The outcome of the command with this correlation id, or null while it is undecided. */
  readonly outcome: CommandOutcome | null;
  /** The view of the destination with this id, or null when none is stored. */
  readonly destination: Destination | null;
  /** The views of these destinations that are stored. */
  readonly destinations: readonly Destination[];
  /** The recent-destinations list. */
  readonly recent: RecentDestinations;
  /** What the site bucket holds at this key. */
  readonly published: PublishedObject | null;
  /** The homepage's publication history. */
  readonly publications: PublicationHistory;
}

/** What to look up: the key of each part of the state the decider reads (see StoredState). */
export interface LookUpKeys {
  readonly outcome: string;
  readonly destination: string;
  readonly destinations: readonly string[];
  readonly recent: true;
  readonly published: string;
  readonly publications: true;
}

/** A change the runner carries out. Each is conditional on the state it was decided from. */
export type Write =
  /** Records (and the views folded from them) appended all or none; conflicts when a position is taken. */
  | { readonly kind: 'append'; readonly unit: AppendUnit }
  /** The recent list replaced, if it is still at `expectedVersion`. */
  | { readonly kind: 'put-recent'; readonly next: RecentDestinations; readonly expectedVersion: number }
  /**
   * A site object written over exactly what was published (`expected`), or where nothing was;
   * with `record`, then recorded in the publication history under the etag the write returns
   * (known only once written, so the runner completes the record).
   */
  | {
      readonly kind: 'publish';
      readonly object: SiteObject;
      readonly expected: PublishedObject | null;
      readonly record?: { readonly publishedAt: string; readonly forgetting: Forgetting };
    }
  /** A publication recorded in the history (one already written whose record was missed); never conflicts. */
  | { readonly kind: 'record-publication'; readonly publication: Publication; readonly forgetting: Forgetting }
  /** A CDN invalidation; the same caller reference twice is the same invalidation, so it never conflicts. */
  | { readonly kind: 'invalidate'; readonly request: InvalidationRequest }
  /** The page with this etag marked invalidated in the publication history; never conflicts. */
  | { readonly kind: 'mark-invalidated'; readonly etag: string; readonly at: string };

export interface Decision {
  /** Carried out in order; nothing is told until all are done. */
  readonly writes: readonly Write[];
  /** What waiting callers are told once the writes are stored. */
  readonly answers: readonly Notification[];
}

export const nothingToDo: Decision = { writes: [], answers: [] };

/**
 * A decider for the messages of one delivery kind (records for stream and bus routes, changed
 * keys for read-model stream routes, created objects for object-created routes).
 */
export interface Handler<Message, Input, Keys extends keyof StoredState> {
  readonly name: HandlerName;
  /**
   * The decisions one delivery asks for: one per message when messages are independent (a
   * batch's are decided side by side and written together), or one for the whole batch when
   * it is folded into one write. Messages this handler does not take are left out.
   */
  readonly inputs: (messages: readonly Message[]) => readonly Input[];
  /** Where the state this decision reads is stored. */
  readonly lookUp: (input: Input) => Pick<LookUpKeys, Keys>;
  /**
   * The state the input itself implies, decided from without reading (the writes are
   * conditional on it, so a stale assumption costs a look-up, never a wrong write).
   */
  readonly assume?: (input: Input) => Pick<StoredState, Keys>;
  readonly decide: (input: Input, state: Pick<StoredState, Keys>, now: string) => Decision;
}

/**
 * A handler of any messages, as the registry and the runner hold them. Method syntax makes its
 * parameters bivariant, so every Handler fits; the runner only passes each handler its own inputs.
 */
export interface AnyHandler {
  readonly name: HandlerName;
  inputs(messages: readonly unknown[]): readonly unknown[];
  lookUp(input: unknown): Partial<LookUpKeys>;
  assume?(input: unknown): Partial<StoredState>;
  decide(input: unknown, state: Partial<StoredState>, now: string): Decision;
}

/** The record a handler's input is about, when it is one (for the failure notice's correlation id). */
export const correlationIdOf = (input: unknown): string | undefined =>
  typeof input === 'object' && input !== null && typeof (input as Partial<AnyRecord>).correlationId === 'string'
    ? (input as AnyRecord).correlationId
    : undefined;
