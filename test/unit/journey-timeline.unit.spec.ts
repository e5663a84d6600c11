/** When the homepage's timeline stops following a proposal: only once nothing more will come. */
import type { CommandJourney, JourneyStep } from '@visitplannr/sdk';
import { describe, expect, it } from 'vitest';
import { isComplete } from '../../src/site/client/journey-timeline.js';

const journeyOf = (state: CommandJourney['state'], ...steps: JourneyStep['step'][]): CommandJourney =>
  ({
    state,
    journey: steps.map((step, i) => ({
      step,
      handler: 'h',
      at: new Date(Date.UTC(2026, 11, 1, 9, 0, 0, i)).toISOString(),
      sinceReceivedMs: i,
      how: null,
    })),
  }) as unknown as CommandJourney;

const upToThePage = ['RECEIVED', 'COMMAND_WRITTEN', 'DECIDED', 'ANSWERED', 'PROJECTED', 'PAGE_PUBLISHED'] as const;

describe('isComplete', () => {
  it('given an accepted proposal whose page and CDN came before its location check, then it keeps following', () => {
    expect(isComplete(journeyOf('ACCEPTED', ...upToThePage, 'CDN_INVALIDATED'))).toBe(false);
  });

  it('given an accepted proposal checked and published but the CDN not yet told, then it keeps following', () => {
    expect(isComplete(journeyOf('ACCEPTED', ...upToThePage, 'LOCATION_CHECKED'))).toBe(false);
  });

  it('given an accepted proposal checked, published and the CDN told, then it is complete', () => {
    expect(isComplete(journeyOf('ACCEPTED', ...upToThePage, 'LOCATION_CHECKED', 'CDN_INVALIDATED'))).toBe(true);
  });

  it.each(['REJECTED', 'FAILED'] as const)('given a %s command, then it is complete at once', (state) => {
    expect(isComplete(journeyOf(state, 'RECEIVED', 'COMMAND_WRITTEN', 'DECIDED'))).toBe(true);
  });

  it('given a command still pending, then it keeps following', () => {
    expect(isComplete(journeyOf('PENDING', 'RECEIVED', 'COMMAND_WRITTEN'))).toBe(false);
  });
});
