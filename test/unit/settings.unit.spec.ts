import { describe, expect, it } from 'vitest';
import { GRAPHQL_TIME_BUDGET } from '../../src/shell/graphql/time-budget.js';
import { DEFAULT_PROPOSAL_LIMITS } from '../../src/shell/redis/proposal-budget.js';
import {
  AWS_DEFAULTS,
  InvalidSettingError,
  MissingSettingError,
  readSettings,
  required,
} from '../../src/shell/settings.js';
import { LOCAL_DEFAULTS } from '../../local/stack.js';

describe('settings', () => {
  it('given an empty environment, then every default is the one stated beside its module', () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({
      redisMode: 'single',
      notifyNamespace: AWS_DEFAULTS.notifyNamespace,
      mutationDeadlineMs: GRAPHQL_TIME_BUDGET.mutationDeadlineMs,
      outcomePollIntervalMs: 200,
      publishTimeoutMs: 1000,
      authMode: 'api-key',
      originSecrets: [],
      proposalLimits: DEFAULT_PROPOSAL_LIMITS,
      allowedOrigins: [],
      developerTools: false,
      logLevel: 'INFO',
    });
    expect(readSettings({}, LOCAL_DEFAULTS)).toMatchObject({ authMode: 'none', notifyNamespace: 'visitplannr:local' });
  });

  it.each([
    ['MUTATION_DEADLINE_MS', 'soon'],
    ['MUTATION_DEADLINE_MS', '0'],
    ['OUTCOME_POLL_MS', '1.5'],
    ['PUBLISH_TIMEOUT_MS', '-1'],
    ['LOG_LEVEL', 'LOUD'],
    ['ENABLE_DEVELOPER_TOOLS', 'yes'],
  ])('given %s=%s, when read at start, then the error names the variable', (variable, value) => {
    const read = () => readSettings({ [variable]: value });
    expect(read).toThrow(InvalidSettingError);
    expect(read).toThrow(expect.objectContaining({ variable }));
  });

  it("given a wrong value of another module's setting, then that module's error names it, at start", () => {
    expect(() => readSettings({ REDIS_MODE: 'sharded' })).toThrow(/REDIS_MODE/);
    expect(() => readSettings({ AUTH_MODE: 'basic' })).toThrow(/AUTH_MODE/);
    expect(() => readSettings({ ANON_PROPOSALS_GLOBAL: 'lots' })).toThrow(/ANON_PROPOSALS_GLOBAL/);
    expect(() => readSettings({ ORIGIN_SECRETS: 'short' })).toThrow(/ORIGIN_SECRETS/);
  });

  it('given api-key mode without its keys, then only the part that authenticates fails (when it is built), naming what is missing', () => {
    const settings = readSettings({});
    expect(() => settings.auth()).toThrow(/AUTH_MODE=api-key needs API_KEY_SHA256/);
  });

  it('given a part that needs a table, when the variable is missing, then the error names it', () => {
    const settings = readSettings({ EVENT_TABLE_NAME: 'events' });
    expect(required(settings, 'eventTableName')).toBe('events');
    expect(() => required(settings, 'readModelTableName')).toThrow(new MissingSettingError('READ_MODEL_TABLE_NAME'));
  });
});
