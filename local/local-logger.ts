/**
 * The local stack's logs. At a terminal: one readable line per hop (time, level, short
 * correlation id, handler, time since the same command's previous line, message, the other
 * fields), laid out by `pino-pretty`. Otherwise, or with `LOG_FORMAT=json`: Powertools' JSON
 * lines, exactly as on AWS. Lambda entry points never import this module (it would bundle
 * pino-pretty), so CloudWatch always gets the JSON of `runtime/logger.ts`.
 */
import type { Writable } from 'node:stream';
import { type LogItem, Logger, LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { prettyFactory } from 'pino-pretty';
import { createLogger } from '../src/shell/runtime/logger.js';

export type LogFormat = 'json' | 'readable';

/** `LOG_FORMAT` (`json` or `readable`) wins; else readable only at a terminal. */
export function logFormatFor(env: NodeJS.ProcessEnv, isTTY: boolean): LogFormat {
  const chosen = env['LOG_FORMAT']?.toLowerCase();
  if (chosen === 'json' || chosen === 'readable') return chosen;
  return isTTY ? 'readable' : 'json';
}

/** Commands whose last line time is kept for the next hop's duration; older ones are forgotten. */
const REMEMBERED_COMMANDS = 1000;

/** Turns Powertools' log attributes into one readable line; remembers each command's last line to time the next hop. */
export function readableLines({ colorize }: { colorize?: boolean } = {}): (
  attributes: Record<string, unknown>,
) => string {
  const lastSeen = new Map<string, number>();
  const sincePrevious = (correlationId: unknown, timestamp: unknown): string => {
    if (typeof correlationId !== 'string' || typeof timestamp !== 'string') return '';
    const now = Date.parse(timestamp);
    const previous = lastSeen.get(correlationId);
    lastSeen.delete(correlationId); // re-inserted last: the Map's order is then least recently seen first
    lastSeen.set(correlationId, now);
    if (lastSeen.size > REMEMBERED_COMMANDS) lastSeen.delete(lastSeen.keys().next().value as string);
    return previous === undefined ? '' : `+${now - previous}ms`;
  };
  const pretty = prettyFactory({
    ...(colorize === undefined ? {} : { colorize }),
    singleLine: true,
    messageKey: 'message',
    timestampKey: 'timestamp',
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service,sampling_rate,correlationId,hop',
    messageFormat: (log, messageKey) => {
      const correlationId = typeof log['correlationId'] === 'string' ? log['correlationId'].slice(0, 8) : '-';
      const handler = (typeof log['service'] === 'string' ? log['service'] : '').replace(/^visitplannr-/, '');
      return `${correlationId.padEnd(8)} ${handler.padEnd(20)} ${String(log['hop']).padStart(7)} ${String(log[messageKey])}`;
    },
  });
  return (attributes) =>
    pretty({ ...attributes, hop: sincePrevious(attributes['correlationId'], attributes['timestamp']) });
}

/** Powertools' logger, printing readable lines instead of JSON. */
class ReadableLogger extends Logger {
  constructor(
    serviceName: string,
    logLevel: string,
    private readonly line: (attributes: Record<string, unknown>) => string,
    private readonly out: Writable,
    private readonly err: Writable,
  ) {
    super({ serviceName, logLevel: logLevel.toUpperCase() as 'INFO' });
  }

  protected override printLog(logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    // As Powertools does: warnings and errors to stderr, the rest to stdout.
    (logLevel >= LogLevelThreshold.WARN ? this.err : this.out).write(this.line(log.getAttributes()));
  }
}

const processLines = readableLines();

/**
 * A logger for a handler of the local stack. One process shares one line formatter, so a
 * command's hops are timed across handlers.
 */
export function createLocalLogger(
  serviceName: string,
  logLevel: string = process.env['LOG_LEVEL'] ?? 'INFO',
  {
    format = logFormatFor(process.env, process.stdout.isTTY === true),
    line = processLines,
    out = process.stdout,
    err = process.stderr,
  }: {
    format?: LogFormat;
    line?: (attributes: Record<string, unknown>) => string;
    out?: Writable;
    err?: Writable;
  } = {},
): Logger {
  return format === 'json'
    ? createLogger(serviceName, logLevel)
    : new ReadableLogger(serviceName, logLevel, line, out, err);
}
