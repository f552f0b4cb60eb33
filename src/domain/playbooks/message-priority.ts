// How urgently a playbook's messages go out: the outbox claims the highest rank first, so an outage notice
// or a payment failure is not queued behind a marketing batch of the same hour.
export type MessagePriority = 'incident' | 'transactional' | 'normal' | 'marketing';
export const messagePriorities: readonly MessagePriority[] = ['incident', 'transactional', 'normal', 'marketing'];
export const defaultPriority: MessagePriority = 'normal';

// Gaps between the ranks leave room for a level in between without renumbering stored messages.
const ranks: Record<MessagePriority, number> = { incident: 30, transactional: 20, normal: 10, marketing: 0 };

/** The number an outbox message carries; the dispatcher claims the highest first, then the longest due. */
export function priorityRank(priority: MessagePriority): number {
  return ranks[priority];
}

/**
 * Messages to staff (alerts, escalations, digests) and a person's own reply in a conversation: someone is
 * waiting on each and they are few, so they go ahead of routine and marketing sends; an incident notice
 * to customers still goes first.
 */
export const personalMessageRank = ranks.transactional;
