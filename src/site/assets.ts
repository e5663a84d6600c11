/** The homepage's static objects in the site bucket, beside index.html (paths relative to it). */
export const HOMEPAGE_ASSETS = { js: 'homepage.js', css: 'homepage.css' } as const;
