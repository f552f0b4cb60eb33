// The people of an account with the channel each answers on, as the journeys' `best` channel learns it
// (their replies and clicks to Tend's messages of the last year), so that the account page shows the
// same preference the sends act on.
import type { Kysely } from 'kysely';
import { channelsByExpectedResponse, learnFromSends } from '../domain/models/channel-learning.js';
import { accountPeople, type PeopleQuery, type PersonRow } from '../store/account-people.js';
import { channelSendOutcomesOf } from '../store/channel-history.js';
import type { Database } from '../store/schema.js';

export interface ChannelPreference {
  /** The channel likeliest to be answered: what a `best` send tries first. */
  readonly best: string;
  /** Every channel, likeliest first, with what the person did with the sends on it. */
  readonly channels: readonly { channel: string; sends: number; responses: number; expectedResponse: number }[];
}

export interface PersonView extends PersonRow {
  readonly channelPreference: ChannelPreference;
}

/** One page of the account's people, each with their learned channel preference (one more row when there are more). */
export async function peopleWithPreferences(
  database: Kysely<Database>,
  query: PeopleQuery,
  now: Date,
): Promise<PersonView[]> {
  const people = await accountPeople(database, query);
  const outcomes = await channelSendOutcomesOf(
    database,
    people.map((person) => person.id),
    now,
  );
  return people.map((person) => {
    const learning = learnFromSends(outcomes.get(person.id) ?? []);
    const order = channelsByExpectedResponse(learning);
    const channels = order.flatMap((channel) => {
      const belief = learning.channels.find((candidate) => candidate.channel === channel);
      if (belief === undefined) return [];
      const expectedResponse = belief.alpha / (belief.alpha + belief.beta);
      return [{ channel, sends: belief.sends, responses: belief.responses, expectedResponse }];
    });
    return { ...person, channelPreference: { best: order[0] ?? 'email', channels } };
  });
}
