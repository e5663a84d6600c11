/**
 * The words a reader sees for a destination. Shared by the renderer (the page as
 * published) and the page's script (a destination added in place), so both read the same.
 */
import type { DestinationStatus } from '../domain/destination.js';

export interface DestinationFacts {
  readonly id: string;
  readonly name: string;
  readonly status: DestinationStatus;
  readonly country: string | null;
  readonly proposedAt: string;
}

export interface DestinationView {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly status: string;
  /** For the status's CSS class, e.g. `location-validated`. */
  readonly statusKey: string;
  readonly proposedAt: string;
  readonly proposedLabel: string;
}

const STATUS_LABELS: Record<DestinationStatus, string> = {
  PROPOSED: 'location being checked',
  LOCATION_VALIDATED: 'location confirmed',
  LOCATION_REJECTED: 'location rejected',
};
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
// One fixed zone, so the page reads the same whoever renders it.
const proposedFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function destinationView(destination: DestinationFacts): DestinationView {
  return {
    id: destination.id,
    name: destination.name,
    country: countryLabel(destination.country),
    status: STATUS_LABELS[destination.status],
    statusKey: destination.status.toLowerCase().replaceAll('_', '-'),
    proposedAt: destination.proposedAt,
    proposedLabel: `${proposedFormat.format(new Date(destination.proposedAt))} UTC`,
  };
}

function countryLabel(code: string | null): string {
  if (!code) return 'country not known yet';
  return `${regionNames.of(code) ?? code} (${code})`;
}
