import type { DynamoDBRecord } from 'aws-lambda';
import type { DeadLetter } from './dead-letters.js';
import type { AnyLocalFunction, StreamLocalFunction } from './functions.js';

/**
 * Redrive: a dead letter goes back to the function that gave up on it, as one delivery: a
 * stream record as a batch of one (reported again as a failure: not redriven), an
 * asynchronous event (bus, S3) as it was.
 */
export function redeliverer(
  streamFunctions: ReadonlyMap<string, StreamLocalFunction>,
  asyncFunctions: ReadonlyMap<string, AnyLocalFunction>,
): (letter: DeadLetter) => Promise<void> {
  return async (letter) => {
    const streamFn = streamFunctions.get(letter.handler);
    if (streamFn) {
      const { batchItemFailures } = await streamFn.invoke({ Records: [letter.payload as DynamoDBRecord] });
      if (batchItemFailures.length > 0) {
        throw new Error(`${letter.handler} reported the record as a batch item failure again`);
      }
      return;
    }
    const fn = asyncFunctions.get(letter.handler);
    if (!fn) throw new Error(`no function named ${letter.handler} in this stack`);
    await fn.invoke(letter.payload as never);
  };
}
