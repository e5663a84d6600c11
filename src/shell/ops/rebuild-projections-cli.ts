/**
 * `npm run rebuild-projections -- [--events T] [--into T] [--compare T]`: replays the event
 * table into a new read-model table and, with --compare, checks it against the live one
 * (exit 1 on any difference). DYNAMODB_ENDPOINT points at DynamoDB Local (the endpoint
 * `npm start` prints); without it the AWS SDK's usual configuration applies.
 */
import { parseArgs } from 'node:util';
import { createDocumentClient, createDynamoDBClient, EMULATOR_AWS } from '../dynamodb/clients.js';
import { createProgress } from './progress.js';
import { compareReadModels, rebuildProjections } from './rebuild-projections.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: process.env['EVENT_TABLE_NAME'] ?? 'visitplannr-events' },
    into: { type: 'string' },
    compare: { type: 'string' },
  },
});
const endpoint = process.env['DYNAMODB_ENDPOINT'];
const client = createDynamoDBClient(endpoint ? { endpoint, ...EMULATOR_AWS } : {});
const documents = createDocumentClient(client);
const eventTable = values.events;
const into = values.into ?? `${eventTable.replace(/events$/, '')}read-models-rebuilt-${Date.now()}`;
const progress = createProgress(`rebuilding ${into}: destinations written`);

try {
  const summary = await rebuildProjections({ client, documents, eventTable, into, onProgress: progress.update });
  console.log(
    `replayed ${summary.events} events from ${eventTable} into ${into}: ${summary.destinations} destinations, ${summary.recent} recent`,
  );
  if (values.compare) {
    const differences = await compareReadModels(documents, values.compare, into);
    for (const difference of differences) console.log(difference);
    console.log(
      differences.length === 0
        ? `identical to ${values.compare}`
        : `${differences.length} difference(s) from ${values.compare}`,
    );
    process.exitCode = differences.length === 0 ? 0 : 1;
  }
} catch (error) {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exitCode = 1;
} finally {
  progress.stop();
  client.destroy();
}
