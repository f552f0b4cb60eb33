import { describe, expect, it } from 'vitest';
import { audienceAdmits } from './audience.js';

const audience = { tiers: ['A'], lifecycleStages: null, traits: { region: 'EU' }, consentTo: [] };

describe('audience', () => {
  it('admits a subject only when tier and traits match; a missing lifecycle stage counts as active', () => {
    expect(audienceAdmits(audience, { tier: 'A', lifecycleStage: null, traits: { region: 'EU' } })).toBe(true);
    expect(audienceAdmits(audience, { tier: 'B', lifecycleStage: null, traits: { region: 'EU' } })).toBe(false);
    expect(audienceAdmits(audience, { tier: 'A', lifecycleStage: null, traits: { region: 'US' } })).toBe(false);
    expect(
      audienceAdmits(
        { ...audience, tiers: null, traits: {}, lifecycleStages: ['active'] },
        { tier: null, lifecycleStage: null, traits: {} },
      ),
    ).toBe(true);
    expect(
      audienceAdmits(
        { ...audience, tiers: null, traits: {}, lifecycleStages: ['lead'] },
        { tier: null, lifecycleStage: 'active', traits: {} },
      ),
    ).toBe(false);
  });
});
