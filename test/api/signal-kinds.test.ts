// The kinds of signal and their labels, as the app reads them: anyone signed in may ask, the answer comes
// from the registry (domain/relationship/signals/), so a new kind needs no change to the app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalRegistry, signalKinds } from '../../src/domain/relationship/signals/registry.js';
import { signIn } from '../support/people.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend();
});
afterAll(async () => tend?.stop());

describe('GET /api/v1/signal-kinds', () => {
  it('lists every kind in evaluation order with what a rep calls it', async () => {
    const rita = await signIn(tend, { email: 'rita@tend.example', role: 'rep' });
    const answer = await rita.get('/api/v1/signal-kinds');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.kinds.map((entry: { kind: string }) => entry.kind)).toEqual(signalKinds);
    expect(answer.body.kinds[0]).toEqual({ kind: 'neglected', label: 'Neglected' });
    for (const { kind, label } of answer.body.kinds as { kind: (typeof signalKinds)[number]; label: string }[]) {
      expect(label).toBe(signalRegistry[kind].label);
    }
  });

  it('asks who is asking', async () => {
    expect((await fetch(`${tend.url}/api/v1/signal-kinds`)).status).toBe(401);
  });
});
