// Entry point: the decider's on-failure queue → commands recorded as FAILED.
import { awsApp, flushedAfter } from './aws.js';

export const handler = flushedAfter(awsApp().decideFailuresFunction());
