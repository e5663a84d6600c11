/**
 * Progress of long runs: done/total, rate and time left; a bar at a terminal, plain lines
 * otherwise, always on the stream it is given (stderr by default, so stdout keeps results).
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, progressFigures } from '../../src/shell/ops/progress.js';

const captured = (isTTY: boolean) => {
  const stream = Object.assign(new PassThrough(), { isTTY });
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { stream, text: () => chunks.join('') };
};

describe('progress figures', () => {
  it('give done/total, the rate so far and the time left at that rate', () => {
    expect(progressFigures(150, 600, 10_000)).toBe('150/600 (25%), 15.0/s, ETA 30s');
    expect(progressFigures(100, 8100, 10_000)).toBe('100/8100 (1%), 10.0/s, ETA 13m20s');
  });

  it('say how long it took once done, and do not guess before anything is done', () => {
    expect(progressFigures(600, 600, 42_000)).toBe('600/600 (100%), 14.3/s, took 42s');
    expect(progressFigures(0, 600, 0)).toBe('0/600 (0%), 0.0/s, ETA ?');
  });
});

describe('a progress display', () => {
  it('writes plain lines when the stream is not a terminal, and a last one when done', () => {
    const { stream, text } = captured(false);
    const progress = createProgress('soak: load', { stream, plainEveryMs: 60_000 });
    progress.update(0, 3);
    progress.tick();
    progress.tick();
    progress.tick();
    progress.tick(); // after the end: ignored
    expect(text()).toMatch(/^soak: load 0\/3 \(0%\), 0\.0\/s, ETA \?\nsoak: load 3\/3 \(100%\), [\d.]+\/s, took 0s\n$/);
  });

  it('draws a bar in place at a terminal', () => {
    const { stream, text } = captured(true);
    const progress = createProgress('bench', { total: 4, stream });
    progress.update(2);
    progress.stop();
    expect(text()).toMatch(/bench =+-+ 2\/4 \(50%\)/);
    expect(text()).not.toContain('\n'.repeat(2));
  });

  it('shows nothing until it knows the total, and nothing after stop', () => {
    const { stream, text } = captured(false);
    const progress = createProgress('redrive', { stream });
    progress.update(1);
    progress.stop();
    progress.update(2, 2);
    expect(text()).toBe('');
  });
});
