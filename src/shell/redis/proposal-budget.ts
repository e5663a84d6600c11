/**
 * The anonymous proposal budget: a per-visitor and a global count of proposals in a fixed
 * window, kept in Redis/Valkey so every GraphQL instance shares it. One Lua script counts
 * and judges atomically; its two keys share a hash tag, so in cluster mode (ElastiCache
 * Serverless) they live in one slot, as a script's keys must. Nothing but the counts is
 * stored, and they expire with their window.
 */
import { VisitplannrError } from '../../errors/index.js';
import type { RedisConnection } from './connection.js';
import { withDeadline } from '../runtime/deadline.js';

export interface ProposalLimits {
  /** Proposals one visitor (viewer address) may make per window. */
  readonly perVisitor: number;
  /** Proposals all anonymous visitors together may make per window. */
  readonly global: number;
  readonly windowSeconds: number;
}

/** Defaults of the AWS entry point and the local stack's site origin alike. */
export const DEFAULT_PROPOSAL_LIMITS: ProposalLimits = { perVisitor: 5, global: 100, windowSeconds: 60 };

export type BudgetAnswer = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface ProposalBudget {
  /** Counts one proposal of `visitor` and says whether it fits. Rejects when the store does not answer in time. */
  take(visitor: string): Promise<BudgetAnswer>;
}

export class InvalidLimitsError extends VisitplannrError {
  override readonly name = 'InvalidLimitsError';
  readonly code = 'INVALID_LIMITS';
  constructor(readonly setting: string) {
    super(`${setting} must be a positive whole number`);
  }
}

/**
 * Reads the limits from an environment (`ANON_PROPOSALS_PER_VISITOR`, `ANON_PROPOSALS_GLOBAL`,
 * `ANON_PROPOSAL_WINDOW_SECONDS`).
 */
export function proposalLimitsFrom(env: Readonly<Record<string, string | undefined>>): ProposalLimits {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new InvalidLimitsError(name);
    return value;
  };
  return {
    perVisitor: read('ANON_PROPOSALS_PER_VISITOR', DEFAULT_PROPOSAL_LIMITS.perVisitor),
    global: read('ANON_PROPOSALS_GLOBAL', DEFAULT_PROPOSAL_LIMITS.global),
    windowSeconds: read('ANON_PROPOSAL_WINDOW_SECONDS', DEFAULT_PROPOSAL_LIMITS.windowSeconds),
  };
}

// KEYS: visitor counter, global counter. ARGV: window (ms), per-visitor limit, global limit.
// A visitor over its own budget does not spend the global one. PTTL < 0 cannot follow the
// INCR + PEXPIRE of one script run, but a key left without expiry would block for ever: repair it.
const SCRIPT = `
local function count(key, window)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, window) end
  return n
end
local function wait(key, window)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, window); ttl = tonumber(window) end
  return ttl
end
if count(KEYS[1], ARGV[1]) > tonumber(ARGV[2]) then return {0, wait(KEYS[1], ARGV[1])} end
if count(KEYS[2], ARGV[1]) > tonumber(ARGV[3]) then return {0, wait(KEYS[2], ARGV[1])} end
return {1, 0}
`;

const COMMAND = 'visitplannrTakeProposalBudget';
type Scripted = {
  [COMMAND](
    visitorKey: string,
    globalKey: string,
    windowMs: number,
    perVisitor: number,
    global: number,
  ): Promise<[number, number]>;
};

export function createProposalBudget({
  redis,
  namespace,
  limits,
  timeoutMs,
}: {
  redis: RedisConnection;
  namespace: string;
  limits: ProposalLimits;
  timeoutMs: number;
}): ProposalBudget {
  // EVALSHA, falling back to EVAL when the server does not know the script yet (ioredis does that).
  redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: SCRIPT });
  const scripted = redis as unknown as Scripted;
  const slot = `{${namespace}:proposal-budget}`;
  const windowMs = limits.windowSeconds * 1000;
  return {
    async take(visitor) {
      const [allowed, waitMs] = await withDeadline(
        scripted[COMMAND](`${slot}:visitor:${visitor}`, `${slot}:all`, windowMs, limits.perVisitor, limits.global),
        timeoutMs,
        'proposal budget',
      );
      return allowed === 1
        ? { allowed: true }
        : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    },
  };
}
