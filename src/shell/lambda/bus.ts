// Entry point of every bus route of the topology; HANDLER_NAME picks which.
import { awsApp, flushedAfter } from './aws.js';

const app = awsApp();
export const handler = flushedAfter(app.handlerFunction(app.routeNamed('bus')) as (event: never) => Promise<unknown>);
