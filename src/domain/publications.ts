/**
 * The homepage's publication history: which projection version each page written to the site
 * bucket showed, when it was published, and when the CDN was asked to drop the page before it.
 * It answers "when did a change reach the page?" for a command's journey, and is written per
 * render (never per mutation).
 *
 * Its two writers never conflict, so neither ever repeats its side effect (a page write, a
 * CreateInvalidation) because of the other: the renderer records a publication and the
 * invalidator marks one invalidated, each under the object's etag, in whichever order they
 * come (S3 notifies the invalidator as soon as the object exists, often before the renderer
 * has recorded it). Only the renderer forgets, to keep the newest PUBLICATION_CAPACITY.
 */

/** Publications kept: at most one render a second per read-model shard keeps well over a minute. */
export const PUBLICATION_CAPACITY = 100;

export interface Publication {
  /** The written object's etag, without quotes (as S3 notifications carry it). */
  readonly etag: string;
  /** The recent-list version the page was rendered from. */
  readonly projectionVersion: number;
  readonly publishedAt: string;
}

export interface PublicationHistory {
  /** Oldest first (by projection version). */
  readonly publications: readonly Publication[];
  /** When the CDN invalidation of the page with each etag was requested. */
  readonly invalidations: Readonly<Record<string, string>>;
  /** The newest projection version forgotten to keep within capacity (0: nothing forgotten yet). */
  readonly forgottenThrough: number;
}

export const emptyPublications: PublicationHistory = { publications: [], invalidations: {}, forgottenThrough: 0 };

/**
 * What recording one more publication drops: the oldest beyond capacity, and invalidation marks
 * left without a page.
 */
export interface Forgetting {
  readonly etags: readonly string[];
  readonly forgottenThrough: number;
}

/** S3 quotes the etag in PutObject and HeadObject answers and not in notifications; one spelling for both. */
export const bareEtag = (etag: string): string => etag.replace(/^W\//, '').replaceAll('"', '');

export const isRecorded = (history: PublicationHistory, etag: string): boolean =>
  history.publications.some((publication) => publication.etag === bareEtag(etag));

/**
 * What to forget when one more publication joins the history, so it holds at most `capacity`
 * publications: `recorded` is its etag when known (a page written before), none for a page about to be written.
 */
export function forgettingFor(
  history: PublicationHistory,
  recorded: string | null = null,
  capacity = PUBLICATION_CAPACITY,
): Forgetting {
  const kept = [...history.publications]
    .filter((publication) => publication.etag !== recorded)
    .sort((a, b) => a.projectionVersion - b.projectionVersion);
  const dropped = kept.slice(0, Math.max(0, kept.length + 1 - capacity));
  const keptEtags = new Set(kept.slice(dropped.length).map((publication) => publication.etag));
  if (recorded) keptEtags.add(recorded);
  // A mark without a page is usually one the invalidator made before the renderer recorded the
  // page: keep those until they outnumber the capacity (a page whose record never landed).
  const orphans = Object.keys(history.invalidations).filter((etag) => !keptEtags.has(etag));
  const orphansDropped =
    orphans.length > capacity
      ? orphans.sort((a, b) => history.invalidations[a]!.localeCompare(history.invalidations[b]!)).slice(0, -capacity)
      : [];
  return {
    etags: [...new Set([...dropped.map((publication) => publication.etag), ...orphansDropped])],
    forgottenThrough: Math.max(
      history.forgottenThrough,
      ...dropped.map((publication) => publication.projectionVersion),
    ),
  };
}

/** The history once `publication` is recorded and `forgetting` applied (what the store's write amounts to). */
export function withPublication(
  history: PublicationHistory,
  publication: Publication,
  forgetting: Forgetting,
): PublicationHistory {
  const forgotten = new Set(forgetting.etags);
  return {
    publications: [
      ...history.publications.filter((kept) => kept.etag !== publication.etag && !forgotten.has(kept.etag)),
      publication,
    ].sort((a, b) => a.projectionVersion - b.projectionVersion),
    invalidations: Object.fromEntries(Object.entries(history.invalidations).filter(([etag]) => !forgotten.has(etag))),
    forgottenThrough: forgetting.forgottenThrough,
  };
}

/** The history once the page with `etag` is marked invalidated at `at`; the first mark stays. */
export function withInvalidation(history: PublicationHistory, etag: string, at: string): PublicationHistory {
  const key = bareEtag(etag);
  if (history.invalidations[key] !== undefined) return history;
  return { ...history, invalidations: { ...history.invalidations, [key]: at } };
}

export type PageReached =
  | { readonly known: true; readonly published: Publication; readonly invalidatedAt: string | null }
  /** No page of that version or newer is recorded yet. */
  | { readonly known: false; readonly reason: 'not-yet' }
  /** The first such page may be among the forgotten ones. */
  | { readonly known: false; readonly reason: 'forgotten' };

/**
 * When a change that entered the recent list at `listVersion` reached the page: the first page
 * rendered from that version or a newer one (renders coalesce, so there may be none of that very
 * version), and the first CDN invalidation of such a page (a later page's counts: it also
 * shows the change, since nothing leaves the list to come back).
 */
export function pageReached(history: PublicationHistory, listVersion: number): PageReached {
  if (listVersion <= history.forgottenThrough) return { known: false, reason: 'forgotten' };
  const showing = history.publications.filter((publication) => publication.projectionVersion >= listVersion);
  const [first] = [...showing].sort(
    (a, b) => a.projectionVersion - b.projectionVersion || a.publishedAt.localeCompare(b.publishedAt),
  );
  if (!first) return { known: false, reason: 'not-yet' };
  const marks = showing
    .map((publication) => history.invalidations[publication.etag])
    .filter((at): at is string => at !== undefined)
    .sort();
  return { known: true, published: first, invalidatedAt: marks[0] ?? null };
}
