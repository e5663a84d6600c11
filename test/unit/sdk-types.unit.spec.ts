/**
 * The SDK's result types follow the schema: checked by tsc (`npm test` typechecks test/)
 * and by vitest's expectTypeOf.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AnswerHow,
  CommandStatus,
  Destination,
  DestinationEvent,
  JourneyStep,
  JourneyStepName,
  ProposalOutcome,
  ProposeDestinationInput,
  ProposeDestinationResult,
  VisitplannrClient,
} from '@visitplannr/sdk';

describe('SDK types', () => {
  it('types Destination fields as the schema declares them', () => {
    expectTypeOf<Destination['status']>().toEqualTypeOf<'PROPOSED' | 'LOCATION_VALIDATED' | 'LOCATION_REJECTED'>();
    // Nullable in the schema → `string | null` in the operation result.
    expectTypeOf<Destination['country']>().toEqualTypeOf<string | null>();
    expectTypeOf<Destination['latitude']>().toEqualTypeOf<number>();
    expectTypeOf<Destination['version']>().toEqualTypeOf<number>();
    expectTypeOf<DestinationEvent['data']>().toEqualTypeOf<string>();
    expectTypeOf<CommandStatus['state']>().toEqualTypeOf<'PENDING' | 'ACCEPTED' | 'REJECTED' | 'FAILED'>();
  });

  it('types a journey step as the schema declares it', () => {
    expectTypeOf<JourneyStep>().toEqualTypeOf<{
      step: JourneyStepName;
      handler: string | null;
      at: string;
      sinceReceivedMs: number;
      how: AnswerHow | null;
    }>();
    expectTypeOf<JourneyStepName>().toEqualTypeOf<
      | 'RECEIVED'
      | 'COMMAND_WRITTEN'
      | 'DECIDED'
      | 'LOCATION_CHECKED'
      | 'PROJECTED'
      | 'ANSWERED'
      | 'PAGE_PUBLISHED'
      | 'CDN_INVALIDATED'
    >();
    expectTypeOf<AnswerHow>().toEqualTypeOf<'NOTIFICATION' | 'DURABLE_OUTCOME' | 'PENDING'>();
  });

  it('narrows the mutation result union on __typename', () => {
    expectTypeOf<ProposeDestinationResult['__typename']>().toEqualTypeOf<
      'DestinationProposed' | 'ProposalRejected' | 'CommandPending'
    >();
    expectTypeOf<
      Extract<ProposeDestinationResult, { __typename: 'DestinationProposed' }>['destination']
    >().toEqualTypeOf<Destination>();
    expectTypeOf<
      Extract<ProposeDestinationResult, { __typename: 'ProposalRejected' }>['problems'][number]['code']
    >().toEqualTypeOf<'REQUIRED' | 'TOO_LONG' | 'CONTROL_CHARACTERS' | 'OUT_OF_RANGE' | 'NOT_A_NUMBER'>();
    expectTypeOf<Extract<ProposeDestinationResult, { __typename: 'CommandPending' }>>().toEqualTypeOf<{
      __typename: 'CommandPending';
      correlationId: string;
    }>();
  });

  it('leaves CommandPending out of the result when waiting for the outcome', () => {
    type Propose = VisitplannrClient['proposeDestination'];
    const client = null as unknown as VisitplannrClient;
    const input: ProposeDestinationInput = { name: 'Ghent', latitude: 51.05, longitude: 3.72 };
    expectTypeOf<ReturnType<Propose>>().toEqualTypeOf<Promise<ProposeDestinationResult>>();
    expectTypeOf(() =>
      client.proposeDestination(input, { waitForOutcome: { deadlineMs: 1000 } }),
    ).returns.toEqualTypeOf<Promise<ProposalOutcome>>();
    expectTypeOf<ProposalOutcome['__typename']>().toEqualTypeOf<'DestinationProposed' | 'ProposalRejected'>();
  });

  it('requires the mandatory input fields and takes only the schema enum for waitFor', () => {
    // @ts-expect-error name is required
    expectTypeOf<{ latitude: number; longitude: number }>().toMatchTypeOf<ProposeDestinationInput>();
    expectTypeOf<ProposeDestinationInput['waitFor']>().toEqualTypeOf<
      'PROPOSED' | 'LOCATION_CHECKED' | null | undefined
    >();
  });
});
