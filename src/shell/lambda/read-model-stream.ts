// Entry point of every read-model-stream route of the topology; HANDLER_NAME picks which.
import { awsApp } from './aws.js';

const app = awsApp();
export const handler = app.handlerFunction(app.routeNamed('read-model-stream'));
