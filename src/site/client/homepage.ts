/**
 * The homepage's script (bundled by esbuild into the site's homepage.js): the propose form
 * calls the API through `@visitplannr/sdk` (plain fetch with JSON, which Apollo's CSRF
 * prevention accepts), shows the outcome, and adds the new destination to the list in place.
 * Text reaches the page only through textContent, never as HTML.
 */
import { createClient, NetworkError, type Problem } from '@visitplannr/sdk';
import { destinationView, type DestinationFacts } from '../labels.js';
import { mapProjection, pinPosition, pointToCoordinates } from '../map-projection.js';
import { createTimeline } from './journey-timeline.js';

const FIELDS = ['name', 'latitude', 'longitude'] as const;

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
const map = document.getElementById('map') as SVGSVGElement | null;
const projection = mapProjection();
const SVG = 'http://www.w3.org/2000/svg';
const api = createClient({ url: form.dataset['apiUrl'] ?? '', timeoutMs: 15_000 });
const input = (field: (typeof FIELDS)[number]) => element<HTMLInputElement>(field);
const timeline = createTimeline(api, {
  section: element<HTMLElement>('journey'),
  list: element<HTMLOListElement>('journey-steps'),
  note: element<HTMLParagraphElement>('journey-note'),
});

/** What a visitor reads when a call fails: the SDK's NetworkError says what the request did, not what to do. */
function failure(error: unknown): string {
  if (error instanceof NetworkError) {
    return error.status === undefined
      ? 'The server could not be reached. Check your connection and try again.'
      : `The server answered ${error.status} without a result. Try again later.`;
  }
  return error instanceof Error ? error.message : String(error);
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
    else if (!Number.isFinite(value))
      problems.push({ field, code: 'NOT_A_NUMBER', message: `The ${field} must be a number, e.g. 51.05.` });
    return value;
  };
  const latitude = coordinate('latitude');
  const longitude = coordinate('longitude');
  return problems.length > 0 ? { problems } : { input: { name: input('name').value, latitude, longitude } };
}

/** A pin as the renderer draws it, its name as text only. */
function addPin(destination: DestinationFacts & { latitude: number; longitude: number }): void {
  const pins = map?.querySelector('#map-pins');
  if (!pins || pins.querySelector(`[data-id="${CSS.escape(destination.id)}"]`)) return;
  const { x, y } = pinPosition(projection, destination.latitude, destination.longitude);
  const pin = document.createElementNS(SVG, 'a');
  pin.setAttribute('class', 'pin new');
  pin.setAttribute('href', `#destination-${destination.id}`);
  pin.setAttribute('data-id', destination.id);
  pin.setAttribute('tabindex', '-1');
  const title = document.createElementNS(SVG, 'title');
  title.textContent = destination.name;
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('cx', String(x));
  dot.setAttribute('cy', String(y));
  dot.setAttribute('r', '6');
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('class', 'pin-label');
  label.setAttribute('x', String(x + 9));
  label.setAttribute('y', String(y + 4));
  label.textContent = destination.name;
  pin.append(title, dot, label);
  pins.append(pin);
}

/** A click on the map (not on a pin) fills the form with the coordinates under it. */
function chooseOnMap(event: MouseEvent): void {
  if (!map || (event.target as Element).closest('.pin')) return;
  const matrix = map.getScreenCTM();
  if (!matrix) return;
  const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
  const chosen = pointToCoordinates(projection, point.x, point.y);
  if (!chosen) return say('That is off the map: click on the globe.', 'info');
  input('latitude').value = chosen.latitude.toFixed(4);
  input('longitude').value = chosen.longitude.toFixed(4);
  let marker = map.querySelector('.chosen');
  if (!marker) {
    marker = document.createElementNS(SVG, 'circle');
    marker.setAttribute('class', 'chosen');
    marker.setAttribute('r', '9');
    map.append(marker);
  }
  marker.setAttribute('cx', String(point.x));
  marker.setAttribute('cy', String(point.y));
  say('Latitude and longitude filled in from the map.', 'info');
  input('name').focus();
}

function addToList(destination: DestinationFacts): void {
  if ([...list.children].some((item) => (item as HTMLElement).dataset['id'] === destination.id)) return;
  const view = destinationView(destination);
  const item = document.createElement('li');
  item.className = 'destination';
  item.id = `destination-${view.id}`;
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
    const commandStatus = await api.commandStatus(correlationId);
    if (!commandStatus || commandStatus.state === 'PENDING') return showPending(correlationId);
    if (commandStatus.state === 'REJECTED') {
      const unplaced = showProblems(commandStatus.problems ?? []);
      return say(
        ['Not proposed: please fix the fields marked.', ...unplaced.map((problem) => problem.message)].join(' '),
        'error',
      );
    }
    if (commandStatus.state === 'FAILED')
      return say(`Your proposal could not be processed: ${commandStatus.reason ?? 'unknown reason'}.`, 'error');
    const destination = commandStatus.destinationId ? await api.destination(commandStatus.destinationId) : null;
    if (destination) {
      addToList(destination);
      addPin(destination);
      say(`Proposed “${destination.name}”.`, 'success');
    } else say('Your proposal was accepted; it will appear shortly.', 'success');
  } catch (error) {
    say(failure(error), 'error');
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
    const result = await api.proposeDestination(read.input);
    switch (result.__typename) {
      case 'DestinationProposed':
        addToList(result.destination);
        addPin(result.destination);
        form.reset();
        say(`Proposed “${result.destination.name}”. Its journey is shown below.`, 'success');
        void timeline.follow(result.correlationId);
        break;
      case 'ProposalRejected': {
        const unplaced = showProblems(result.problems);
        say(
          ['Not proposed: please fix the fields marked.', ...unplaced.map((problem) => problem.message)].join(' '),
          'error',
        );
        break;
      }
      case 'CommandPending':
        showPending(result.correlationId);
        void timeline.follow(result.correlationId);
        break;
      default: {
        const unknown: never = result;
        throw new Error(`unexpected answer ${JSON.stringify(unknown)}`);
      }
    }
  } catch (error) {
    say(failure(error), 'error');
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
map?.addEventListener('click', chooseOnMap);
if ('geolocation' in navigator) {
  locationButton.hidden = false;
  locationButton.addEventListener('click', useMyLocation);
}
