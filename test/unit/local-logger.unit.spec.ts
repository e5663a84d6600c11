/**
 * The local stack's log lines: readable at a terminal, Powertools' JSON otherwise or with
 * LOG_FORMAT=json (the JSON of AWS).
 */
import { PassThrough } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { createLocalLogger, logFormatFor, readableLines } from '../../local/local-logger.js';

const collect = (stream: PassThrough) => {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return () => chunks.join('');
};

describe('the log format', () => {
  it('is readable at a terminal and JSON when output is piped', () => {
    expect(logFormatFor({}, true)).toBe('readable');
    expect(logFormatFor({}, false)).toBe('json');
  });

  it('is JSON with LOG_FORMAT=json even at a terminal, and readable when asked for in a pipe', () => {
    expect(logFormatFor({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFor({ LOG_FORMAT: 'JSON' }, true)).toBe('json');
    expect(logFormatFor({ LOG_FORMAT: 'readable' }, false)).toBe('readable');
  });

  it('in JSON, is Powertools Logger itself, as the Lambda entry points use it', () => {
    expect(Object.getPrototypeOf(createLocalLogger('visitplannr-decide', 'INFO', { format: 'json' }))).toBe(
      Logger.prototype,
    );
  });
});

describe('a readable line', () => {
  const correlationId = '0618979d-2f43-4c59-9d2b-6f2e0f4f7a11';
  const entry = (service: string, message: string, timestamp: string, extra: Record<string, unknown> = {}) => ({
    level: 'INFO',
    message,
    timestamp,
    service: `visitplannr-${service}`,
    sampling_rate: 0,
    correlationId,
    ...extra,
  });

  it('shows the time, the short correlation id, the handler, the time since the command’s previous line, the message and the rest', () => {
    const line = readableLines({ colorize: false });
    const first = line(
      entry('graphql', 'command written', '2026-12-01T03:41:53.948Z', { waitFor: 'LOCATION_CHECKED' }),
    );
    const second = line(entry('decide', 'proposal accepted', '2026-12-01T03:41:54.058Z', { destinationId: 'd-1' }));
    expect(first).toMatch(
      /^\[\d\d:\d\d:\d\d\.948\] INFO: 0618979d graphql +command written \{"waitFor":"LOCATION_CHECKED"\}\n$/,
    );
    expect(second).toMatch(
      /^\[\d\d:\d\d:\d\d\.058\] INFO: 0618979d decide +\+110ms proposal accepted \{"destinationId":"d-1"\}\n$/,
    );
    expect(second).not.toContain('sampling_rate');
    expect(second).not.toContain('visitplannr-');
  });

  it('times each command on its own, and shows a dash where no command is concerned', () => {
    const line = readableLines({ colorize: false });
    line(entry('graphql', 'command written', '2026-12-01T03:41:53.000Z'));
    line({ ...entry('graphql', 'command written', '2026-12-01T03:41:53.500Z'), correlationId: 'aaaaaaaa-other' });
    expect(line(entry('project', 'projected', '2026-12-01T03:41:54.000Z'))).toContain(' +1000ms projected');
    expect(
      line({
        level: 'INFO',
        message: 'homepage published',
        timestamp: '2026-12-01T03:41:55.000Z',
        service: 'visitplannr-render-homepage',
      }),
    ).toMatch(/INFO: - +render-homepage +homepage published/);
  });

  it('goes to stdout, and warnings and errors to stderr, from the local stack’s logger', () => {
    const [out, err] = [new PassThrough(), new PassThrough()];
    const [printed, warned] = [collect(out), collect(err)];
    const log = createLocalLogger('visitplannr-decide', 'INFO', {
      format: 'readable',
      line: readableLines({ colorize: false }),
      out,
      err,
    });
    log.debug('not at INFO');
    log.info('proposal accepted', { correlationId });
    log.warn('retrying', { correlationId, attempt: 2 });
    expect(printed()).toMatch(/^\[[\d:.]+\] INFO: 0618979d decide +proposal accepted\n$/);
    expect(warned()).toMatch(/^\[[\d:.]+\] WARN: 0618979d decide +\+\d+ms retrying \{"attempt":2\}\n$/);
  });
});
