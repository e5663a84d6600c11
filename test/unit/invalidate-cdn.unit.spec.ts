import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { invalidateCdn, invalidationsFor, pathsFor } from '../../src/handlers/invalidate-cdn.js';
import { objectsCreated } from '../../src/shell/runner/deliveries.js';

describe('invalidationsFor', () => {
  it('given index.html was written, then one invalidation covers / and /index.html with a reference derived from the change', () => {
    expect(invalidationsFor([{ key: 'index.html', eTag: 'abc', sequencer: '0055AED6DCD90281E5' }])).toEqual([
      { callerReference: 'index.html#abc#0055AED6DCD90281E5', paths: ['/', '/index.html'] },
    ]);
  });

  it('given the same notification twice, then the requests are identical, so CloudFront treats them as one invalidation', () => {
    const change = { key: 'index.html', eTag: 'abc', sequencer: '01' };
    expect(invalidationsFor([change])).toEqual(invalidationsFor([change]));
    expect(invalidationsFor([change, change])).toHaveLength(1);
  });

  it('given two writes of the same key, then each gets its own reference', () => {
    const references = invalidationsFor([
      { key: 'index.html', eTag: 'abc', sequencer: '01' },
      { key: 'index.html', eTag: 'def', sequencer: '02' },
    ]).map((request) => request.callerReference);
    expect(new Set(references).size).toBe(2);
  });

  it('given keys with folders and unsafe characters, then the paths are URL-encoded per segment', () => {
    expect(pathsFor('homepage.js')).toEqual(['/homepage.js']);
    expect(pathsFor('guides/index.html')).toEqual(['/guides/', '/guides/index.html']);
    expect(pathsFor('a b/ü.css')).toEqual(['/a%20b/%C3%BC.css']);
  });

  it('given an S3 notification, then only object-created records count and keys are decoded', () => {
    const record = (eventName: string, key: string) => ({
      eventName,
      s3: { object: { key, eTag: 'e', sequencer: 's' } },
    });
    const event = {
      Records: [record('ObjectCreated:Put', 'a+b%C3%BC.html'), record('ObjectRemoved:Delete', 'gone.html')],
    } as unknown as S3Event;
    expect(objectsCreated(event)).toEqual([{ key: 'a bü.html', eTag: 'e', sequencer: 's' }]);
  });
});

describe('invalidate-cdn', () => {
  it('given the homepage and an asset were written, then both are invalidated, and then the page is marked in the publication history', () => {
    const NOW = '2026-11-24T10:00:01.500Z';
    const decision = invalidateCdn.decide(
      [
        { key: 'index.html', eTag: 'abc', sequencer: '01' },
        { key: 'homepage.js', eTag: 'def', sequencer: '02' },
      ],
      {},
      NOW,
    );
    expect(decision.writes.map((write) => write.kind)).toEqual(['invalidate', 'invalidate', 'mark-invalidated']);
    expect(decision.writes.at(-1)).toEqual({ kind: 'mark-invalidated', etag: 'abc', at: NOW });
  });
});
