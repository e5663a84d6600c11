/** A tiny GraphQL-over-HTTP client for the end-to-end tests (real HTTP, JSON). */
export interface GraphQLResponse<T = ApiData> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; correlationId?: string; [key: string]: unknown };
  }[];
}

/** A destination with every field a test may select. */
export interface DestinationData {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  status: 'PROPOSED' | 'LOCATION_VALIDATED' | 'LOCATION_REJECTED';
  country: string | null;
  locationRejectionReason: string | null;
  proposedAt: string;
  updatedAt: string;
  version: number;
}

export interface ProblemData {
  field: string;
  code: string;
  message: string;
}

/**
 * The API's root fields as the tests read them: each query selects a few of them (and of their
 * fields) and asserts what came back, so the type names what a field holds when selected, the
 * union's members flattened into one (`destination` is on DestinationProposed, `problems` on
 * ProposalRejected). Nullable roots are typed as present: a test that expects null asserts it.
 */
export interface ApiData {
  proposeDestination: {
    __typename: 'DestinationProposed' | 'ProposalRejected' | 'CommandPending';
    correlationId: string;
    destination: DestinationData;
    problems: ProblemData[];
  };
  destination: DestinationData;
  recentDestinations: DestinationData[];
  destinationHistory: {
    eventId: string;
    type: string;
    version: number;
    time: string;
    correlationId: string;
    data: string;
  }[];
  commandStatus: {
    correlationId: string;
    state: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'FAILED';
    destinationId: string | null;
    problems: ProblemData[] | null;
    reason: string | null;
  };
}

export async function gql<T = ApiData>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export const PROPOSE = /* GraphQL */ `
  mutation Propose($input: ProposeDestinationInput!) {
    proposeDestination(input: $input) {
      __typename
      ... on DestinationProposed {
        correlationId
        destination {
          id
          name
          latitude
          longitude
          status
          country
          proposedAt
          updatedAt
          version
        }
      }
      ... on ProposalRejected {
        correlationId
        problems {
          field
          code
          message
        }
      }
      ... on CommandPending {
        correlationId
      }
    }
  }
`;
