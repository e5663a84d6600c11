import { describe, expect, it } from 'vitest';
import { InvalidRedisModeError, parseRedisMode } from '../../src/shell/redis/connection.js';

describe('REDIS_MODE', () => {
  it('defaults to a single Redis and accepts cluster', () => {
    expect(parseRedisMode(undefined)).toBe('single');
    expect(parseRedisMode('')).toBe('single');
    expect(parseRedisMode('cluster')).toBe('cluster');
  });

  it('rejects anything else with a typed error naming the value, rather than guessing', () => {
    expect(() => parseRedisMode('sharded')).toThrow(InvalidRedisModeError);
    expect(() => parseRedisMode('Cluster')).toThrow(/"Cluster"/);
  });
});
