// The registry's promises the compiler cannot keep alone: one name per setting and label, and each rule
// raising its own kind only.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf, touchAt } from '../account-snapshot-fixture.js';
import { defaultTendConfig as config } from '../tend-config.js';
import { signalDefinitions, signalKinds, signalRegistry, signalSettings } from './registry.js';
import { signalContext } from './signal-context.js';

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

  it('has each rule raise its own kind only', () => {
    const troubled = snapshotOf({
      createdAt: new Date('2024-03-10T00:00:00Z'),
      lifecycleStage: 'onboarding',
      touches: [touchAt('2026-02-01T00:00:00Z'), callAt('2025-01-01T00:00:00Z')],
      surveys: [{ at: new Date('2026-03-01T00:00:00Z'), score: 2, comment: null, contactId: null }],
      inbound: [
        { at: new Date('2026-03-01T00:00:00Z'), problem: 'export', kind: 'message', answeredAt: null, summary: null },
      ],
      invoices: [
        {
          invoiceId: 'INV-1',
          issuedAt: new Date('2026-01-01T00:00:00Z'),
          dueAt: new Date('2026-02-01T00:00:00Z'),
          amountMinor: 1000,
          paidAt: null,
          failedAt: null,
        },
      ],
      renewalAt: new Date('2026-04-01T00:00:00Z'),
      churnProbability: 0.9,
      lifetimeActivityCount: 150,
    });
    const context = signalContext(troubled, config, new Date('2026-03-10T00:00:00Z'));
    let raised = 0;
    for (const definition of signalDefinitions) {
      for (const signal of definition.rule(context).signals) {
        expect(signal.kind).toBe(definition.kind);
        raised += 1;
      }
    }
    expect(raised).toBeGreaterThan(5);
  });
});
