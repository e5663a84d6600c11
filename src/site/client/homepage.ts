/**
 * The homepage's script (bundled by esbuild into the site's homepage.js): the propose
 * form calls the GraphQL mutation with fetch and JSON (Apollo's CSRF prevention accepts
 * `content-type: application/json`), shows the outcome, and adds the new destination to
 * the list in place. Text reaches the page only through textContent, never as HTML.
 */
import { destinationView, type DestinationFacts } from '../labels.js';

interface Problem {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

type ProposeResult =
  | { readonly __typename: 'DestinationProposed'; readonly correlationId: string; readonly destination: DestinationFacts }
  | { readonly __typename: 'ProposalRejected'; readonly correlationId: string; readonly problems: readonly Problem[] }
  | { readonly __typename: 'CommandPending'; readonly correlationId: string };

interface CommandStatus {
  readonly state: 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'FAILED';
  readonly destinationId: string | null;
  readonly problems: readonly Problem[] | null;
  readonly reason: string | null;
}

const DESTINATION_FIELDS = 'id name status country proposedAt';
const PROPOSE = `mutation ProposeFromHomepage($input: ProposeDestinationInput!) {
  proposeDestination(input: $input) {
    __typename
    ... on DestinationProposed { correlationId destination { ${DESTINATION_FIELDS} } }
    ... on ProposalRejected { correlationId problems { field code message } }
    ... on CommandPending { correlationId }
  }
}`;
const STATUS = `query HomepageCommandStatus($correlationId: ID!) {
  commandStatus(correlationId: $correlationId) { state destinationId problems { field code message } reason }
}`;
const DESTINATION = `query HomepageDestination($id: ID!) { destination(id: $id) { ${DESTINATION_FIELDS} } }`;
const FIELDS = ['name', 'latitude', 'longitude'] as const;
const REQUEST_TIMEOUT_MS = 15_000;

class ApiError extends Error {
  override readonly name = 'ApiError';
}

const element = <T extends HTMLElement>(id: string): T => {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
};

const form = element<HTMLFormElement>('propose-form');
const outcome = element<HTMLDivElement>('outcome');
const submitButton = element<HTMLButtonElement>('propose-button');
const locationButton = element<HTMLButtonElement>('use-location');
const list = element<HTMLOListElement>('destinations');
const emptyState = element<HTMLParagraphElement>('empty-state');
const apiUrl = form.dataset['apiUrl'] ?? '';
const input = (field: (typeof FIELDS)[number]) => element<HTMLInputElement>(field);

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new ApiError('The server could not be reached. Check your connection and try again.', { cause: error });
  }
  const body = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
  const firstError = body?.errors?.[0];
  if (firstError) throw new ApiError(firstError.message);
  if (!body?.data) throw new ApiError(`The server answered ${response.status} without data.`);
  return body.data;
}

function say(message: string, tone: 'info' | 'success' | 'error'): void {
  outcome.replaceChildren(message);
  outcome.dataset['tone'] = tone;
}

function clearProblems(): void {
  for (const field of FIELDS) {
    const problem = element<HTMLParagraphElement>(`${field}-problem`);
    problem.hidden = true;
    problem.textContent = '';
    input(field).removeAttribute('aria-invalid');
  }
}

/** Each problem next to its field; the first invalid field gets the focus. Returns those with no field on the form. */
function showProblems(problems: readonly Problem[]): Problem[] {
  const unplaced: Problem[] = [];
  let first: HTMLInputElement | null = null;
  for (const problem of problems) {
    const field = FIELDS.find((candidate) => candidate === problem.field);
    if (!field) {
      unplaced.push(problem);
      continue;
    }
    const holder = element<HTMLParagraphElement>(`${field}-problem`);
    holder.textContent = holder.textContent ? `${holder.textContent} ${problem.message}` : problem.message;
    holder.hidden = false;
    input(field).setAttribute('aria-invalid', 'true');
    first ??= input(field);
  }
  first?.focus();
  return unplaced;
}

/** Reads the form; coordinates that are not numbers are caught here, the rest is the server's to judge. */
function readForm(): { input: { name: string; latitude: number; longitude: number } } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const coordinate = (field: 'latitude' | 'longitude'): number => {
    const raw = input(field).value.trim().replace(',', '.');
    const value = Number(raw);
    if (raw === '') problems.push({ field, code: 'REQUIRED', message: `Enter the ${field}.` });
    else if (!Number.isFinite(value)) problems.push({ field, code: 'NOT_A_NUMBER', message: `The ${field} must be a number, e.g. 51.05.` });
    return value;
  };
  const latitude = coordinate('latitude');
  const longitude = coordinate('longitude');
  return problems.length > 0 ? { problems } : { input: { name: input('name').value, latitude, longitude } };
}

function addToList(destination: DestinationFacts): void {
  if ([...list.children].some((item) => (item as HTMLElement).dataset['id'] === destination.id)) return;
  const view = destinationView(destination);
  const item = document.createElement('li');
  item.className = 'destination';
  item.dataset['id'] = view.id;
  const name = document.createElement('h3');
  name.className = 'destination-name';
  name.textContent = view.name;
  const meta = document.createElement('p');
  meta.className = 'destination-meta';
  const country = document.createElement('span');
  country.className = 'country';
  country.textContent = view.country;
  const status = document.createElement('span');
  status.className = `status status-${view.statusKey}`;
  status.textContent = view.status;
  const time = document.createElement('time');
  time.dateTime = view.proposedAt;
  time.textContent = view.proposedLabel;
  meta.append(country, ' · ', status, ' · proposed ', time);
  item.append(name, meta);
  list.prepend(item);
  emptyState.hidden = true;
}

function showPending(correlationId: string): void {
  const check = document.createElement('button');
  check.type = 'button';
  check.className = 'secondary';
  check.textContent = 'Check again';
  check.addEventListener('click', () => void checkLater(correlationId));
  outcome.replaceChildren('Your proposal is still being processed. ', check);
  outcome.dataset['tone'] = 'info';
  check.focus();
}

async function checkLater(correlationId: string): Promise<void> {
  try {
    const { commandStatus } = await graphql<{ commandStatus: CommandStatus | null }>(STATUS, { correlationId });
    if (!commandStatus || commandStatus.state === 'PENDING') return showPending(correlationId);
    if (commandStatus.state === 'REJECTED') {
      const unplaced = showProblems(commandStatus.problems ?? []);
      return say(['Not proposed: please fix the fields marked.', ...unplaced.map((problem) => problem.message)].join(' '), 'error');
    }
    if (commandStatus.state === 'FAILED') return say(`Your proposal could not be processed: ${commandStatus.reason ?? 'unknown reason'}.`, 'error');
    const { destination } = await graphql<{ destination: DestinationFacts | null }>(DESTINATION, { id: commandStatus.destinationId });
    if (destination) {
      addToList(destination);
      say(`Proposed “${destination.name}”.`, 'success');
    } else say('Your proposal was accepted; it will appear shortly.', 'success');
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), 'error');
  }
}

async function propose(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  clearProblems();
  const read = readForm();
  if ('problems' in read) {
    showProblems(read.problems);
    return say('Not sent: please fix the fields marked.', 'error');
  }
  submitButton.disabled = true;
  form.setAttribute('aria-busy', 'true');
  say('Sending your proposal…', 'info');
  try {
    const { proposeDestination: result } = await graphql<{ proposeDestination: ProposeResult }>(PROPOSE, { input: read.input });
    switch (result.__typename) {
      case 'DestinationProposed':
        addToList(result.destination);
        form.reset();
        say(`Proposed “${result.destination.name}”.`, 'success');
        break;
      case 'ProposalRejected': {
        const unplaced = showProblems(result.problems);
        say(['Not proposed: please fix the fields marked.', ...unplaced.map((problem) => problem.message)].join(' '), 'error');
        break;
      }
      case 'CommandPending':
        showPending(result.correlationId);
        break;
      default: {
        const unknown: never = result;
        throw new ApiError(`unexpected answer ${JSON.stringify(unknown)}`);
      }
    }
  } catch (error) {
    say(error instanceof Error ? error.message : String(error), 'error');
  } finally {
    submitButton.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function useMyLocation(): void {
  say('Finding your location…', 'info');
  navigator.geolocation.getCurrentPosition(
    (position) => {
      input('latitude').value = position.coords.latitude.toFixed(5);
      input('longitude').value = position.coords.longitude.toFixed(5);
      say('Location filled in.', 'info');
      input('name').focus();
    },
    (error) => say(`Your location is not available (${error.message}); type the coordinates instead.`, 'error'),
    { timeout: 10_000, maximumAge: 60_000 },
  );
}

form.addEventListener('submit', (event) => void propose(event));
if ('geolocation' in navigator) {
  locationButton.hidden = false;
  locationButton.addEventListener('click', useMyLocation);
}
