/**
 * Progress of a long run (soak, bench, rebuild-projections, dead-letter redrive) on stderr,
 * so stdout keeps the results: a bar redrawn in place at a terminal, a plain line every few
 * seconds otherwise (CI logs, pipes). Drawn by `cli-progress`.
 *
 * ```ts
 * const progress = createProgress('soak: load');
 * progress.update(answered, total); // the bar stops by itself when done reaches total
 * ```
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

// A CommonJS module whose exports Node cannot name statically.
const { Format, SingleBar } = cliProgress;

export interface Progress {
  /** `done` of `total` (the total may be given late, or change). Stops the display once done reaches total. */
  readonly update: (done: number, total?: number) => void;
  /** `update(done + 1)`. */
  readonly tick: () => void;
  /** Ends the display (also after a failure); further updates are ignored. */
  readonly stop: () => void;
}

export interface ProgressOptions {
  readonly total?: number;
  readonly stream?: Writable & { isTTY?: boolean };
  /** How often a plain line is written when the stream is not a terminal. */
  readonly plainEveryMs?: number;
}

/** Durations as cli-progress writes its ETA (`45s`, `2m5s`, `1h3m`), without padding. */
const seconds = (value: number): string => Format.TimeFormat(value, { autopaddingChar: '' }, 1);

/** `done/total (percent), rate/s, ETA`: the figures shared by the bar and the plain line. */
export function progressFigures(done: number, total: number, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
  const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
  const eta =
    done >= total ? `took ${seconds(Math.round(elapsedMs / 1000))}` : `ETA ${left === undefined ? '?' : seconds(left)}`;
  return `${done}/${total} (${percent}%), ${rate.toFixed(1)}/s, ${eta}`;
}

export function createProgress(
  label: string,
  { total: initialTotal, stream = process.stderr, plainEveryMs = 5000 }: ProgressOptions = {},
): Progress {
  const atTerminal = stream.isTTY === true;
  const bar = new SingleBar({
    stream,
    noTTYOutput: true,
    notTTYSchedule: plainEveryMs,
    // Off a terminal each line already ends in a newline; "clearing" there only skips a blank line.
    clearOnComplete: !atTerminal,
    format: (options, params) =>
      `${label} ${atTerminal ? `${Format.BarFormat(params.progress, options)} ` : ''}${progressFigures(params.value, params.total, (params.stopTime ?? Date.now()) - params.startTime)}`,
  });
  let started = false;
  let stopped = false;
  let done = 0;
  let total = initialTotal;
  const progress: Progress = {
    update(value, newTotal) {
      if (stopped) return;
      done = value;
      if (newTotal !== undefined && newTotal !== total) {
        total = newTotal;
        if (started) bar.setTotal(total);
      }
      if (total === undefined) return;
      if (!started) {
        started = true;
        bar.start(total, done);
      } else bar.update(done);
      if (done >= total) progress.stop();
    },
    tick: () => progress.update(done + 1),
    stop() {
      if (stopped) return;
      stopped = true;
      if (started) bar.stop();
    },
  };
  return progress;
}
