/** The homepage's key in the site bucket (its index document). */
export const HOMEPAGE_KEY = 'index.html';
/** The homepage's static objects in the site bucket, beside index.html (paths relative to it). */
export const HOMEPAGE_ASSETS = { js: 'homepage.js', css: 'homepage.css' } as const;
/**
 * Where the page calls the API: on its own origin, which the edge (CloudFront on AWS, the local
 * edge locally) sends to the API. No CORS.
 */
export const API_PATH = '/graphql';
