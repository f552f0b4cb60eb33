// The `limits:` section of tend.config.yaml: merged over the defaults, every wrong value reported with
// its YAML path.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TendError } from './errors.js';
import { validateTendConfig } from './relationship/config-validation.js';
import { defaultRateLimits } from './rate-limit.js';

function problemsOf(yaml: string): string[] {
  try {
    validateTendConfig(parse(yaml), 'tend.config.yaml');
  } catch (error) {
    if (!(error instanceof TendError)) throw error;
    return error.problems.map(({ field, message }) => `${field} ${message}`);
  }
  throw new Error('expected the configuration to be refused');
}

describe('limits in tend.config.yaml', () => {
  it('defaults when the file is silent', () => {
    expect(validateTendConfig(undefined, 'none').limits).toEqual(defaultRateLimits);
  });

  it('takes a rate and a burst; a rate alone keeps the default burst in seconds', () => {
    const { limits } = validateTendConfig(
      parse(`
limits:
  tracking:
    requests: { perSecond: 50, burst: 60 }
    events: { perSecond: 1000 }
  admin:
    failedAuthentications: { perSecond: 0.1, burst: 5 }
`),
      'tend.config.yaml',
    );
    expect(limits.tracking.requests).toEqual({ perSecond: 50, burst: 60 });
    expect(limits.tracking.events).toEqual({ perSecond: 1000, burst: 10_000 });
    expect(limits.admin.failedAuthentications).toEqual({ perSecond: 0.1, burst: 5 });
    expect(limits.admin.perToken).toEqual(defaultRateLimits.admin.perToken);
  });

  it('reports each wrong value with its path', () => {
    expect(
      problemsOf(`
limits:
  tracking:
    requests: { perSecond: 0, burst: 0.5 }
    event: { perSecond: 10 }
  admin:
    perAddress: lots
`),
    ).toEqual([
      'limits.tracking.event is not a setting here; allowed: requests, events',
      'limits.tracking.requests.perSecond must be a number of requests a second above 0 and at most 1000000, got 0',
      'limits.tracking.requests.burst must be a whole number of requests from 1 to 100000000, got 0.5',
      'limits.admin.perAddress must be a mapping of settings, got "lots"',
    ]);
  });
});
