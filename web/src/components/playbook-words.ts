// A playbook's trigger and results in plain words, for the playbook list and a playbook's page.
import { words } from './format';

/** "When an account is neglected", "When Subscription Started happens (plan: pro)", "On a schedule (…)". */
export function triggerWords(trigger: { kind: string } & Record<string, unknown>): string {
  switch (trigger.kind) {
    case 'signal':
      return `When Tend notices: ${words(String(trigger.signal ?? 'a signal')).toLowerCase()}`;
    case 'event': {
      const where = trigger.where && typeof trigger.where === 'object' ? Object.entries(trigger.where) : [];
      const conditions = where.map(([key, value]) => `${key}: ${String(value)}`).join(', ');
      return `When "${String(trigger.event)}" happens${conditions === '' ? '' : ` (${conditions})`}`;
    }
    case 'segment':
      return 'When someone enters a segment';
    case 'schedule': {
      const schedule = trigger.schedule as { expression?: unknown } | undefined;
      return `On a schedule${schedule?.expression ? ` (${String(schedule.expression)})` : ''}`;
    }
    default:
      return words(trigger.kind);
  }
}

/** The measures a playbook's results compare, in the order shown. */
export const measures = [
  { key: 'entered', label: 'Entered' },
  { key: 'sent', label: 'Sent a message' },
  { key: 'responded', label: 'Responded' },
  { key: 'goalReached', label: 'Reached the goal' },
  { key: 'retained', label: 'Retained' },
] as const;
