// Several concurrent Segment-style clients sending the traffic in batches to /v1/batch, each retrying
// a failed request with the same body (so the same messageIds) until Tend answers it, as the Segment
// SDKs do. Every messageId Tend acknowledged with a 200 is remembered: each must be stored, once.
import type { Random } from '../../src/domain/models/random.js';
import { callUntilAnswered, type Tally } from './http.js';
import type { Traffic } from './traffic.js';

export interface Acknowledged {
  readonly messageIds: string[];
  /** Batches Tend refused with a 4xx (nothing of them stored, not retried): each is a finding. */
  refused: number;
  readonly refusedSamples: string[];
}

export interface ClientOptions {
  readonly url: string;
  readonly writeKey: string;
  readonly clients: number;
  readonly traffic: Traffic;
  readonly random: Random;
  readonly tally: Tally;
  readonly acknowledged: Acknowledged;
}

/** Runs the clients until the traffic is all sent and acknowledged (or refused). */
export async function runClients(options: ClientOptions): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  const client = async (): Promise<void> => {
    for (;;) {
      // analytics-node flushes every 15 messages by default; busy servers' queues flush larger batches.
      const batch = options.traffic.nextBatch(15 + options.random.integer(86));
      if (batch.length === 0) return;
      const body = JSON.stringify({ batch, sentAt: new Date().toISOString() });
      const call = { method: 'POST' as const, headers: { authorization, 'content-type': 'application/json' }, body };
      const answer = await callUntilAnswered(`${options.url}/v1/batch`, call, options.tally, 'POST /v1/batch');
      if (answer.status === 200) {
        for (const message of batch) options.acknowledged.messageIds.push(message.messageId);
      } else {
        options.acknowledged.refused++;
        const samples = options.acknowledged.refusedSamples;
        if (samples.length < 5) samples.push(`HTTP ${answer.status}: ${answer.text.slice(0, 400)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
}
