// Entry point: the event table's stream → the EventBridge bus.
import { awsApp } from './aws.js';

export const handler = awsApp().fanoutFunction();
