import { describe, expect, it } from 'vitest';
import type { CommandJourney, JourneyStep } from '@visitplannr/sdk';
import { waterfall } from '../../src/shell/ops/waterfall.js';

const step = (name: JourneyStep['step'], handler: string, ms: number, how: JourneyStep['how'] = null): JourneyStep => ({
  step: name,
  handler,
  at: new Date(Date.UTC(2026, 10, 24, 10) + ms).toISOString(),
  sinceReceivedMs: ms,
  how,
});

const journey: CommandJourney = {
  correlationId: 'cid',
  state: 'ACCEPTED',
  journey: [
    step('RECEIVED', 'graphql', 0),
    step('COMMAND_WRITTEN', 'graphql', 2),
    step('DECIDED', 'decide', 100),
    step('ANSWERED', 'graphql', 102, 'NOTIFICATION'),
    step('PROJECTED', 'project-recent', 1000),
  ],
};

describe('waterfall', () => {
  it('given a journey, then one line per step with its handler and offset, and a bar for the hop that led to it, scaled to the whole', () => {
    expect(waterfall('cid', journey, 10)).toEqual([
      'journey of cid (ACCEPTED): 5 steps over 1,000 ms',
      'RECEIVED         graphql                     +0 ms  █',
      'COMMAND_WRITTEN  graphql                     +2 ms  █',
      'DECIDED          decide                    +100 ms  █',
      'ANSWERED         graphql (NOTIFICATION)    +102 ms   █',
      'PROJECTED        project-recent          +1,000 ms   █████████',
    ]);
  });

  it('given a step stamped by a clock slightly behind (a negative offset), then nothing is drawn before the start', () => {
    const skewed = { ...journey, journey: [step('RECEIVED', 'graphql', 0), step('DECIDED', 'decide', -3)] };
    const lines = waterfall('cid', skewed, 10);
    expect(lines[2]).toMatch(/-3 ms {2}█$/);
  });

  it('given a command with no steps yet, then the header alone', () => {
    expect(waterfall('cid', { ...journey, journey: [] })).toEqual(['journey of cid (ACCEPTED): 0 steps over 0 ms']);
  });
});
