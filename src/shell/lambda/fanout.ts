// Entry point: the event table's stream → the EventBridge bus.
import { awsApp, flushedAfter } from './aws.js';

export const handler = flushedAfter(awsApp().fanoutFunction());
