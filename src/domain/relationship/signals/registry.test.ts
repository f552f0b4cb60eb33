// The registry's promises the compiler cannot keep alone: the order of kinds and settings, and one name
// per setting and label. (That each rule raises its own kind, and reads only the facts it declares, the
// compiler checks: see SignalDefinition.)
import { describe, expect, it } from 'vitest';
import { defaultTendConfig as config } from '../tend-config.js';
import { signalDefinitions, signalKinds, signalRegistry, signalSettings } from './registry.js';

describe('the signal registry', () => {
  it('lists the kinds in evaluation order, each under its own name', () => {
    // A kind added later comes after these, which keep their order: an account's signals come out in it.
    expect(signalKinds.slice(0, 12)).toEqual([
      'neglected',
      'async-only',
      'never-spoken',
      'disengaging',
      'at-risk',
      'detractor',
      'high-effort',
      'slow-response',
      'renewal-approaching',
      'payment-late',
      'onboarding-stalled',
      'moment-that-matters',
    ]);
    for (const kind of signalKinds) expect(signalRegistry[kind].kind).toBe(kind);
    expect(signalDefinitions.map((definition) => definition.kind)).toEqual(signalKinds);
  });

  it('gives every setting and every label to one kind only', () => {
    const names = signalSettings.map((setting) => setting.name);
    expect(new Set(names).size).toBe(names.length);
    const labels = signalDefinitions.map((definition) => definition.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.every((label) => label.trim() !== '')).toBe(true);
  });

  it('reads the section in the order it always had', () => {
    expect(Object.keys(config.signals).slice(0, 11)).toEqual([
      'asyncOnlyAfterDays',
      'neverSpokenAfterDays',
      'detractorMaxScore',
      'highEffort',
      'slowResponse',
      'renewalDays',
      'paymentGraceDays',
      'onboarding',
      'atRisk',
      'disengagement',
      'milestones',
    ]);
  });
});
