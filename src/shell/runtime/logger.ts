import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools); `correlationId` goes on each entry rather than on shared
 * logger state, since one process serves many commands at once.
 */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export const createLogger = (serviceName: string, logLevel: string = process.env['LOG_LEVEL'] ?? 'INFO'): Logger =>
  new Logger({ serviceName, logLevel: logLevel.toUpperCase() as 'INFO' });

/** The narrow logging port the resolvers use. */
export const toResolverLog = (logger: Log) => ({
  info: (message: string, context: Record<string, unknown> = {}) => logger.info(message, context),
  warn: (message: string, context: Record<string, unknown> = {}) => logger.warn(message, context),
});

/** A one-line description of a thrown value, for logs and dead letters. */
export const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
