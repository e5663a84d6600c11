// Entry point: invalidate-cdn, on the site bucket's object-created notifications. Environment: DISTRIBUTION_ID.
import { createInvalidateCdnFunction } from '../functions/invalidate-cdn.js';
import { invalidateCdnDependencies } from './environment.js';

export const handler = createInvalidateCdnFunction(invalidateCdnDependencies());
