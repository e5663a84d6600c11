/**
 * Bad input, over real HTTP against the local stack. Every case asserts a clear error
 * and that nothing was stored: after the request (and once every handler has settled)
 * the event table and the read-model table hold exactly the items they held before —
 * whether the request was refused before the resolver (HTTP, parsing, limits, variable
 * coercion) or answered ProposalRejected by the resolver's validation.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../src/shell/graphql/server.js';
import { GRAPHQL_LIMITS } from '../../src/shell/graphql/limits.js';
import { useTestStack } from '../support/stack.js';
import { expectNothingStored, snapshotTables } from '../support/tables.js';
import { type GraphQLResponse, PROPOSE } from './client.js';

const stack = useTestStack({ mutationDeadlineMs: 3000 });

interface Answer {
  readonly status: number;
  /** The GraphQL answer, or the text of a body that is not JSON (kept for the assertion to show). */
  readonly body: GraphQLResponse | string;
}

/** The answer's GraphQL body: a test reading one expects JSON, and fails saying what came instead. */
function graphqlBody(answer: Answer): GraphQLResponse {
  if (typeof answer.body === 'string') throw new Error(`expected a GraphQL answer, got: ${answer.body}`);
  return answer.body;
}

async function send(init: {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  query?: string;
}): Promise<Answer> {
  const url = init.query === undefined ? stack.graphqlUrl : `${stack.graphqlUrl}?${init.query}`;
  const response = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: GraphQLResponse | string = text;
  try {
    body = JSON.parse(text) as GraphQLResponse;
  } catch {
    // not JSON: kept as text for the assertion to show
  }
  return { status: response.status, body };
}

const json = (payload: unknown) => send({ body: JSON.stringify(payload) });
const propose = (input: unknown) => json({ query: PROPOSE, variables: { input } });
const valid = { name: 'Ghent', latitude: 51.05, longitude: 3.72 };
/** Inline mutation text, for values JSON cannot carry (NaN) or literal-level checks. */
const inlineProposal = (args: string) =>
  json({ query: `mutation { proposeDestination(input: { ${args} }) { __typename } }` });
const aliased = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

interface Refused {
  readonly send: () => Promise<Answer>;
  readonly status: number;
  /** `extensions.code` of the first error: every refusal is a GraphQL error with a code. */
  readonly code: string;
  readonly message: RegExp;
}

// Errors Apollo reports before any resolver runs.
const BAD_INPUT = 'BAD_USER_INPUT';
const INVALID = 'GRAPHQL_VALIDATION_FAILED';
const PARSE = 'GRAPHQL_PARSE_FAILED';

const refused: Record<string, Refused> = {
  // Coordinates that are not finite numbers never reach the decider.
  'NaN latitude (inline literal)': {
    send: () => inlineProposal('name: "x", latitude: NaN, longitude: 1'),
    status: 400,
    code: INVALID,
    message: /Float cannot represent/,
  },
  'Infinity latitude (1e999 in JSON)': {
    send: () =>
      send({
        body: `{"query":${JSON.stringify(PROPOSE)},"variables":{"input":{"name":"x","latitude":1e999,"longitude":1}}}`,
      }),
    status: 400,
    code: BAD_INPUT,
    message: /Float cannot represent/,
  },
  '-Infinity longitude (-1e999 in JSON)': {
    send: () =>
      send({
        body: `{"query":${JSON.stringify(PROPOSE)},"variables":{"input":{"name":"x","latitude":1,"longitude":-1e999}}}`,
      }),
    status: 400,
    code: BAD_INPUT,
    message: /Float cannot represent/,
  },
  'latitude as a string': {
    send: () => propose({ ...valid, latitude: '51.05' }),
    status: 400,
    code: BAD_INPUT,
    message: /Float cannot represent/,
  },
  'latitude null': {
    send: () => propose({ ...valid, latitude: null }),
    status: 400,
    code: BAD_INPUT,
    message: /Expected non-nullable type "Float!" not to be null|Expected non-nullable type "String!" not to be null/,
  },
  'longitude as a boolean': {
    send: () => propose({ ...valid, longitude: true }),
    status: 400,
    code: BAD_INPUT,
    message: /Float cannot represent/,
  },
  'coordinates as an array': {
    send: () => propose({ ...valid, latitude: [51, 3] }),
    status: 400,
    code: BAD_INPUT,
    message: /Float cannot represent/,
  },
  // Missing fields and wrong types.
  'missing name': {
    send: () => propose({ latitude: 1, longitude: 1 }),
    status: 400,
    code: BAD_INPUT,
    message: /Field "name" of required type "String!" was not provided/,
  },
  'missing latitude': {
    send: () => propose({ name: 'x', longitude: 1 }),
    status: 400,
    code: BAD_INPUT,
    message: /Field "latitude" of required type "Float!" was not provided/,
  },
  'missing longitude (inline)': {
    send: () => inlineProposal('name: "x", latitude: 1'),
    status: 400,
    code: INVALID,
    message: /Field "ProposeDestinationInput.longitude" of required type "Float!" was not provided/,
  },
  'no input variable at all': {
    send: () => json({ query: PROPOSE }),
    status: 400,
    code: BAD_INPUT,
    message: /Variable "\$input" of required type "ProposeDestinationInput!" was not provided/,
  },
  'name as a number': {
    send: () => propose({ ...valid, name: 42 }),
    status: 400,
    code: BAD_INPUT,
    message: /String cannot represent a non string value/,
  },
  'name as an object': {
    send: () => propose({ ...valid, name: { first: 'x' } }),
    status: 400,
    code: BAD_INPUT,
    message: /String cannot represent a non string value/,
  },
  'name null': {
    send: () => propose({ ...valid, name: null }),
    status: 400,
    code: BAD_INPUT,
    message: /Expected non-nullable type "Float!" not to be null|Expected non-nullable type "String!" not to be null/,
  },
  'an unknown input field': {
    send: () => propose({ ...valid, country: 'BE' }),
    status: 400,
    code: BAD_INPUT,
    message: /Field "country" is not defined by type "ProposeDestinationInput"/,
  },
  'an unknown waitFor value': {
    send: () => propose({ ...valid, waitFor: 'SOON' }),
    status: 400,
    code: BAD_INPUT,
    message: /Value "SOON" does not exist in "WaitFor" enum/,
  },
  'idempotencyKey as a number': {
    send: () => propose({ ...valid, idempotencyKey: 7 }),
    status: 400,
    code: BAD_INPUT,
    message: /String cannot represent a non string value/,
  },
  'an idempotencyKey over 200 characters': {
    send: () => propose({ ...valid, idempotencyKey: 'k'.repeat(201) }),
    status: 200,
    code: BAD_INPUT,
    message: /idempotencyKey must be at most 200 characters/,
  },
  'variables that are not an object': {
    send: () => json({ query: PROPOSE, variables: 'input' }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /variables/,
  },
  // Malformed requests.
  'malformed JSON': {
    send: () => send({ body: '{"query": "mutation {' }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /not valid JSON/,
  },
  'an empty body': { send: () => send({ body: '' }), status: 400, code: 'BAD_REQUEST', message: /POST body|query/ },
  'a JSON string instead of an object': {
    send: () => send({ body: '"mutation { proposeDestination }"' }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /POST body/,
  },
  'no query': { send: () => json({ variables: { input: valid } }), status: 400, code: 'BAD_REQUEST', message: /query/ },
  'a GraphQL syntax error': {
    send: () => json({ query: 'mutation { proposeDestination(input: { name: "x" ' }),
    status: 400,
    code: PARSE,
    message: /Syntax Error/,
  },
  'an unknown field': {
    send: () => json({ query: '{ everything { id } }' }),
    status: 400,
    code: INVALID,
    message: /Cannot query field "everything"/,
  },
  [`a body over the function's ${MAX_REQUEST_BYTES}-byte limit`]: {
    send: () => propose({ ...valid, name: 'x'.repeat(MAX_REQUEST_BYTES) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: /exceeds/,
  },
  'a 1 MB body': {
    send: () => propose({ ...valid, name: 'x'.repeat(1_000_000) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: /exceeds/,
  },
  // Query abuse: depth, aliases, cost, tokens, directives, batching.
  'a deeply nested query': {
    send: () =>
      json({
        query: `{ ${'... on Query { '.repeat(GRAPHQL_LIMITS.maxDepth + 4)}recentDestinations { id }${' }'.repeat(GRAPHQL_LIMITS.maxDepth + 4)} }`,
      }),
    status: 400,
    code: INVALID,
    message: /Query depth limit of 8 exceeded/,
  },
  'an alias-amplified query': {
    send: () => json({ query: aliased(GRAPHQL_LIMITS.maxAliases + 40, 'recentDestinations(limit: 50) { id name }') }),
    status: 400,
    code: INVALID,
    message: /Aliases limit of 10 exceeded/,
  },
  'an alias-amplified mutation': {
    send: () =>
      json({
        query: `mutation ${aliased(GRAPHQL_LIMITS.maxAliases + 1, 'proposeDestination(input: { name: "Amplified", latitude: 1, longitude: 1 }) { __typename }')}`,
      }),
    status: 400,
    code: INVALID,
    message: /Aliases limit of 10 exceeded/,
  },
  'a query over the cost limit': {
    send: () =>
      json({
        query: `fragment F on Destination { id name latitude longitude status country proposedAt updatedAt version } { recentDestinations(limit: 50) { ${'...F '.repeat(150)} } }`,
      }),
    status: 400,
    code: INVALID,
    message: /Query Cost limit of 2000 exceeded/,
  },
  'a query over the token limit': {
    send: () => json({ query: `{ recentDestinations { ${'id '.repeat(GRAPHQL_LIMITS.maxTokens)} } }` }),
    status: 400,
    code: PARSE,
    message: /more that 2000 tokens/,
  },
  'a query with too many directives': {
    send: () =>
      json({
        query: `{ recentDestinations { id ${'@include(if: true) '.repeat(GRAPHQL_LIMITS.maxDirectives + 1)} } }`,
      }),
    status: 400,
    code: INVALID,
    message: /Directives limit of 20 exceeded/,
  },
  'a batch of two operations': {
    send: () => json([{ query: '{ recentDestinations { id } }' }, { query: '{ recentDestinations { id } }' }]),
    status: 400,
    code: 'BAD_REQUEST',
    message: /batching/,
  },
  'a batch of 50 mutations': {
    send: () => json(Array.from({ length: 50 }, () => ({ query: PROPOSE, variables: { input: valid } }))),
    status: 400,
    code: 'BAD_REQUEST',
    message: /batching/,
  },
  // HTTP method and content type (CSRF).
  'a mutation over GET': {
    send: () =>
      send({
        method: 'GET',
        headers: { 'apollo-require-preflight': 'true' },
        query: `query=${encodeURIComponent('mutation { proposeDestination(input: { name: "Get", latitude: 1, longitude: 1 }) { __typename } }')}`,
      }),
    status: 405,
    code: 'BAD_REQUEST',
    message: /GET requests only support query operations/,
  },
  'a GET without a preflight header (CSRF)': {
    send: () =>
      send({ method: 'GET', headers: {}, query: `query=${encodeURIComponent('{ recentDestinations { id } }')}` }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /Cross-Site Request Forgery/,
  },
  'a text/plain POST (CSRF)': {
    send: () =>
      send({
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: PROPOSE, variables: { input: valid } }),
      }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /Cross-Site Request Forgery/,
  },
  'a form POST (CSRF)': {
    send: () =>
      send({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `query=${encodeURIComponent(PROPOSE)}`,
      }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /Cross-Site Request Forgery/,
  },
  'a multipart POST (CSRF)': {
    send: () =>
      send({
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: '--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ recentDestinations { id } }\r\n--x--',
      }),
    status: 400,
    code: 'BAD_REQUEST',
    message: /Cross-Site Request Forgery/,
  },
  // Operation names.
  'an unknown operation name': {
    send: () => json({ query: 'query A { recentDestinations { id } }', operationName: 'B' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
    message: /Unknown operation named "B"/,
  },
  'several operations and no name': {
    send: () => json({ query: 'query A { recentDestinations { id } } query B { recentDestinations { id } }' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
    message: /Must provide operation name/,
  },
  // Ids that cannot be ours.
  'a destination id over 100 characters': {
    send: () => json({ query: `{ destination(id: "${'d'.repeat(3000)}") { id } }` }),
    status: 200,
    code: BAD_INPUT,
    message: /id must be at most 100 characters/,
  },
  'a correlation id over 100 characters': {
    send: () => json({ query: `{ commandStatus(correlationId: "${'c'.repeat(3000)}") { state } }` }),
    status: 200,
    code: BAD_INPUT,
    message: /correlationId must be at most 100 characters/,
  },
  'a recentDestinations limit out of range': {
    send: () => json({ query: '{ recentDestinations(limit: 1000000) { id } }' }),
    status: 200,
    code: BAD_INPUT,
    message: /limit must be between 1 and 50/,
  },
};

const firstError = (answer: Answer): { message: string; extensions?: Record<string, unknown> } | undefined =>
  typeof answer.body === 'object' && answer.body && Array.isArray(answer.body.errors)
    ? answer.body.errors[0]
    : undefined;

describe('requests refused before anything is written', () => {
  it.each(Object.entries(refused))('%s → a clear error, and both tables unchanged', async (_name, testCase) => {
    const answer = await expectNothingStored(stack, testCase.send);

    expect(answer.status).toBe(testCase.status);
    const error = firstError(answer);
    const message = error?.message ?? (typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    expect(message).toMatch(testCase.message);
    expect(error?.extensions?.['code']).toBe(testCase.code);
    // No stack traces and no internals, whatever went wrong.
    expect(JSON.stringify(answer.body)).not.toMatch(
      /stacktrace|\bat .+\.(ts|js):\d+|node_modules|Exception|visitplannr-|s[0-9a-f]{8}-/,
    );
  });
});

interface Rejected {
  readonly input: Record<string, unknown>;
  readonly problems: readonly string[];
}

const rejected: Record<string, Rejected> = {
  'an empty name': { input: { ...valid, name: '' }, problems: ['name:REQUIRED'] },
  'a whitespace-only name': { input: { ...valid, name: '  \u00a0 ' }, problems: ['name:REQUIRED'] },
  'a name of 101 characters': { input: { ...valid, name: 'a'.repeat(101) }, problems: ['name:TOO_LONG'] },
  'a name of 101 emoji': { input: { ...valid, name: '🏖'.repeat(101) }, problems: ['name:TOO_LONG'] },
  'a name of 5000 characters': { input: { ...valid, name: 'a'.repeat(5000) }, problems: ['name:TOO_LONG'] },
  'a NUL in the name': { input: { ...valid, name: 'Ghe\u0000nt' }, problems: ['name:CONTROL_CHARACTERS'] },
  'a newline in the name': { input: { ...valid, name: 'Ghe\nnt' }, problems: ['name:CONTROL_CHARACTERS'] },
  'an ANSI escape in the name': { input: { ...valid, name: '\u001b[31mGhent' }, problems: ['name:CONTROL_CHARACTERS'] },
  'a right-to-left override in the name': {
    input: { ...valid, name: 'evil\u202egnp.exe' },
    problems: ['name:CONTROL_CHARACTERS'],
  },
  'a latitude of 90.000001': { input: { ...valid, latitude: 90.000001 }, problems: ['latitude:OUT_OF_RANGE'] },
  'a longitude of -180.5': { input: { ...valid, longitude: -180.5 }, problems: ['longitude:OUT_OF_RANGE'] },
  'a latitude of 1e308': { input: { ...valid, latitude: 1e308 }, problems: ['latitude:OUT_OF_RANGE'] },
  'everything wrong at once': {
    input: { name: '\t', latitude: -91, longitude: 181 },
    problems: ['name:REQUIRED', 'name:CONTROL_CHARACTERS', 'latitude:OUT_OF_RANGE', 'longitude:OUT_OF_RANGE'],
  },
};

describe('proposals with invalid values', () => {
  it.each(Object.entries(rejected))(
    '%s → ProposalRejected naming each problem, and both tables unchanged',
    async (_name, testCase) => {
      const answer = await expectNothingStored(stack, () => propose(testCase.input));

      expect(answer.status).toBe(200);
      const result = graphqlBody(answer).data!.proposeDestination;
      expect(result?.__typename).toBe('ProposalRejected');
      expect(
        result.problems.map((problem: { field: string; code: string }) => `${problem.field}:${problem.code}`),
      ).toEqual(testCase.problems);
      for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(10);
    },
  );
});

describe('unusual but valid names are accepted and stored as given', () => {
  it.each([
    ['Arabic (right-to-left)', 'القاهرة'],
    ['Hebrew (right-to-left)', 'תל אביב'],
    ['emoji', '🏖️ Beach day 🌊'],
    ['exactly 100 characters', 'b'.repeat(100)],
    ['markup', '<script>alert(1)</script><img src=x onerror=alert(2)>'],
    ['quotes and template syntax', `"'; DROP TABLE destinations; -- {{7*7}} \${process.env}`],
  ])('%s', async (_label, name) => {
    const answer = await propose({ ...valid, name });
    await stack.settled();
    const result = graphqlBody(answer).data!.proposeDestination;
    expect(result).toMatchObject({ __typename: 'DestinationProposed', destination: { name } });
    const after = await snapshotTables(stack.dynamodbEndpoint, stack.tables);
    const proposed = after.events.filter(
      (item) => item['type'] === 'DestinationProposed' && item['data']['destinationId'] === result.destination.id,
    );
    expect(proposed).toHaveLength(1);
    expect(proposed[0]?.['data']['name']).toBe(name);
  });
});
