// Entry point: the decider's on-failure queue → commands recorded as FAILED.
import { awsApp } from './aws.js';

export const handler = awsApp().decideFailuresFunction();
