// Entry point: render-homepage, on the read-model table's stream (changes of recent-destinations).
// Environment: READ_MODEL_TABLE_NAME, SITE_BUCKET_NAME, API_URL (the GraphQL endpoint the page's form calls).
import { createRenderHomepageFunction } from '../functions/render-homepage.js';
import { renderHomepageDependencies } from './environment.js';

export const handler = createRenderHomepageFunction(renderHomepageDependencies());
