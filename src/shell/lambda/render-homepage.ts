// Entry point: render-homepage, on the read-model table's stream (changes of recent-destinations).
// Environment: READ_MODEL_TABLE_NAME, SITE_BUCKET_NAME (the page calls /graphql on its own origin).
import { createRenderHomepageFunction } from '../functions/render-homepage.js';
import { renderHomepageDependencies } from './environment.js';

export const handler = createRenderHomepageFunction(renderHomepageDependencies());
