/**
 * A command's journey as a waterfall for a terminal: one line per step (name, handler, offset
 * after RECEIVED, and a bar for the hop that led to it, scaled to the whole journey), pure so
 * it is tested without a stack.
 */
import type { CommandJourney } from '@visitplannr/sdk';

/** Columns the bars may take when the terminal's width is unknown (piped output). */
export const DEFAULT_BAR_WIDTH = 40;

const formatMs = (ms: number): string => `+${Math.round(ms).toLocaleString('en-US')} ms`;

export function waterfall(correlationId: string, status: CommandJourney, barWidth = DEFAULT_BAR_WIDTH): string[] {
  const steps = status.journey;
  const total = Math.max(0, ...steps.map((step) => step.sinceReceivedMs));
  const header = `journey of ${correlationId} (${status.state}): ${steps.length} step${steps.length === 1 ? '' : 's'} over ${formatMs(total).slice(1)}`;
  if (steps.length === 0) return [header];
  // Clocks of different functions may disagree by a little: nothing is drawn before 0.
  const column = (ms: number): number => (total === 0 ? 0 : Math.round((Math.max(0, ms) / total) * barWidth));
  const labels = steps.map((step) => `${step.handler ?? '-'}${step.how ? ` (${step.how})` : ''}`);
  const offsets = steps.map((step) => formatMs(step.sinceReceivedMs));
  const nameWidth = Math.max(...steps.map((step) => step.step.length));
  const labelWidth = Math.max(...labels.map((label) => label.length));
  const offsetWidth = Math.max(...offsets.map((offset) => offset.length));
  let previous = 0;
  const lines = steps.map((step, i) => {
    const from = Math.min(column(previous), barWidth);
    const to = Math.max(from + 1, column(step.sinceReceivedMs));
    previous = Math.max(previous, step.sinceReceivedMs);
    const bar = `${' '.repeat(from)}${'█'.repeat(to - from)}`;
    return `${step.step.padEnd(nameWidth)}  ${labels[i]!.padEnd(labelWidth)}  ${offsets[i]!.padStart(offsetWidth)}  ${bar}`;
  });
  return [header, ...lines];
}
