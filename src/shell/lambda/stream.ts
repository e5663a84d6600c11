// Entry point of every stream route of the topology; HANDLER_NAME picks which.
import { awsApp } from './aws.js';

const app = awsApp();
export const handler = app.handlerFunction(app.routeNamed('stream'));
