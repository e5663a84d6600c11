import { readFileSync } from 'node:fs';

/**
 * The homepage's Cache-Control as the README documents it (`Cache-Control: …` in "The homepage"),
 * so the published object is pinned to what operators read, not to the module's own constant.
 */
export function documentedHomepageCacheControl(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s*\n\s*/g, ' ');
  const literal = /`Cache-Control: ([^`]+)`/.exec(readme)?.[1];
  if (!literal) throw new Error('the README documents no `Cache-Control: …` for the homepage');
  return literal;
}
