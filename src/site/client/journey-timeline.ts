/**
 * The journey of the proposal a visitor just made, as a small timeline under the form: an
 * ordered list of its steps with their times after the API received it, from
 * `commandStatus { journey }` through the SDK. It is asked again a bounded number of times, more
 * slowly each time, until the page showing the proposal is published and the CDN told (or the
 * command can go no further), so a visitor sees where the time went without a request loop.
 * Text enters the DOM through textContent only. The list is not a live region: its updates would
 * interrupt a screen reader every second; the outcome above it already says what happened.
 */
import type { CommandJourney, JourneyStep, VisitplannrClient } from '@visitplannr/sdk';

/** Pauses before each refresh: about 25 s in all, past the page's batching window and the render. */
export const REFRESH_DELAYS_MS = [500, 1000, 1500, 2000, 3000, 4000, 5000, 8000];

const LABELS: Record<JourneyStep['step'], string> = {
  RECEIVED: 'Received by the API',
  COMMAND_WRITTEN: 'Proposal stored',
  DECIDED: 'Decided',
  LOCATION_CHECKED: 'Location checked',
  PROJECTED: 'Listed among the recent destinations',
  ANSWERED: 'Answer sent to you',
  PAGE_PUBLISHED: 'Homepage published with it',
  CDN_INVALIDATED: 'CDN told to refresh the homepage',
};

const HOW: Record<NonNullable<JourneyStep['how']>, string> = {
  NOTIFICATION: 'notified as soon as it was stored',
  DURABLE_OUTCOME: 'read from the stored outcome',
  PENDING: 'not decided by then',
};

/** "+12 ms", "+1.5 s": the offset after RECEIVED as a reader takes it in. */
export const offsetLabel = (ms: number): string =>
  ms < 1000 ? `+${Math.max(0, Math.round(ms))} ms` : `+${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * Whether nothing more will come: a command that goes no further, or an accepted one whose
 * location was checked and whose page was published and the CDN told. The check and the page
 * are separate branches (the page may list the destination before its check), so both count.
 */
export const isComplete = (status: CommandJourney): boolean => {
  if (status.state === 'REJECTED' || status.state === 'FAILED') return true;
  const taken = new Set(status.journey.map((step) => step.step));
  return taken.has('LOCATION_CHECKED') && taken.has('PAGE_PUBLISHED') && taken.has('CDN_INVALIDATED');
};

export interface TimelineElements {
  readonly section: HTMLElement;
  readonly list: HTMLOListElement;
  readonly note: HTMLElement;
}

export function createTimeline(api: VisitplannrClient, elements: TimelineElements) {
  // A newer proposal's timeline replaces the one being followed.
  let following = 0;

  function render(status: CommandJourney): void {
    elements.list.replaceChildren(
      ...status.journey.map((step) => {
        const item = document.createElement('li');
        item.className = 'journey-step';
        item.dataset['step'] = step.step;
        const name = document.createElement('span');
        name.className = 'journey-name';
        name.textContent = step.how ? `${LABELS[step.step]} (${HOW[step.how]})` : LABELS[step.step];
        const time = document.createElement('time');
        time.className = 'journey-offset';
        // A duration, as HTML's time element takes one.
        time.dateTime = `PT${(Math.max(0, step.sinceReceivedMs) / 1000).toFixed(3)}S`;
        time.textContent = offsetLabel(step.sinceReceivedMs);
        item.append(name, ' ', time);
        return item;
      }),
    );
  }

  return {
    async follow(correlationId: string): Promise<void> {
      const mine = ++following;
      elements.section.hidden = false;
      elements.list.replaceChildren();
      elements.note.textContent = 'Following your proposal…';
      for (let attempt = 0; ; attempt++) {
        let status: CommandJourney | null = null;
        try {
          status = await api.commandJourney(correlationId);
        } catch {
          // A failed refresh is not the proposal's failure: the next one may answer.
        }
        if (mine !== following) return;
        if (status) render(status);
        if (status && isComplete(status)) {
          elements.note.textContent =
            status.state === 'ACCEPTED' ? 'Complete: the published homepage shows it.' : 'Complete.';
          return;
        }
        const delay = REFRESH_DELAYS_MS[attempt];
        if (delay === undefined) {
          elements.note.textContent = 'Stopped following; the remaining steps happen without you waiting here.';
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (mine !== following) return;
      }
    },
  };
}
