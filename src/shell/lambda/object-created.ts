// Entry point of every object-created route of the topology; HANDLER_NAME picks which.
import { awsApp, flushedAfter } from './aws.js';

const app = awsApp();
export const handler = flushedAfter(
  app.handlerFunction(app.routeNamed('object-created')) as (event: never) => Promise<unknown>,
);
