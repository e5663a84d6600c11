/** A tiny GraphQL-over-HTTP client for the end-to-end tests (real HTTP, JSON). */
export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function gql<T = Record<string, any>>(
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
