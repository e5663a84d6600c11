import { describe, expect, it } from 'vitest';
import type { JourneyStep } from '@visitplannr/sdk';
import { answersByHow, hopFigures } from '../../bench/journeys.js';

const journey = (offsets: Partial<Record<JourneyStep['step'], number>>, how: JourneyStep['how'] = 'NOTIFICATION') =>
  Object.entries(offsets).map(([step, ms]) => ({
    step: step as JourneyStep['step'],
    handler: null,
    at: new Date(ms).toISOString(),
    sinceReceivedMs: ms,
    how: step === 'ANSWERED' ? how : null,
  }));

describe("the bench's breakdown by hop", () => {
  const journeys = [
    journey({ RECEIVED: 0, COMMAND_WRITTEN: 2, DECIDED: 30, ANSWERED: 33, PROJECTED: 900, PAGE_PUBLISHED: 1500 }),
    journey({ RECEIVED: 0, COMMAND_WRITTEN: 4, DECIDED: 50, ANSWERED: 5000 }, 'PENDING'),
  ];

  it('given journeys, then each step has its time after RECEIVED and its own hop, over the journeys that reached both ends', () => {
    const figures = Object.fromEntries(hopFigures(journeys).map((hop) => [hop.step, hop]));
    expect(figures['DECIDED']).toMatchObject({
      from: 'COMMAND_WRITTEN',
      count: 2,
      sinceReceived: { p50: 50, p99: 50 },
      hop: { p50: 46, p99: 46 },
    });
    expect(figures['PAGE_PUBLISHED']).toMatchObject({ from: 'PROJECTED', count: 1, hop: { p50: 600, p99: 600 } });
    expect(figures['CDN_INVALIDATED']?.count).toBe(0);
  });

  it('given journeys, then it counts how each was answered', () => {
    expect(answersByHow([...journeys, journey({ RECEIVED: 0 })])).toEqual({
      NOTIFICATION: 1,
      PENDING: 1,
      'not recorded': 1,
    });
  });
});
