// Entry point of every read-model-stream route of the topology; HANDLER_NAME picks which.
import { awsApp, flushedAfter } from './aws.js';

const app = awsApp();
export const handler = flushedAfter(
  app.handlerFunction(app.routeNamed('read-model-stream')) as (event: never) => Promise<unknown>,
);
