// Turns a parsed playbook YAML file into a Playbook, or refuses it listing every problem with the
// file name, the path inside the file and what is allowed there.
import { listProblems, TendError } from '../errors.js';
import { signalKinds } from '../relationship/signal.js';
import {
  lifecycleStages,
  messageChannels,
  type AudienceFilter,
  type ExitCondition,
  type Playbook,
  type PlaybookGoal,
  type PlaybookTrigger,
  type ReentryPolicy,
} from './playbook-definition.js';
import { defaultPriority, type MessagePriority, messagePriorities } from './message-priority.js';
import { isMapping, PlaybookReader, shown } from './playbook-reader.js';
import { parseSchedule } from './schedule-expression.js';
import { readSteps } from './step-validation.js';

const topLevelKeys = [
  'id',
  'name',
  'description',
  'version',
  'enabled',
  'trigger',
  'audience',
  'steps',
  'exit',
  'goal',
  'holdout',
  'reentry',
  'priority',
];
const audienceKeys = ['tiers', 'lifecycleStages', 'traits', 'consentTo'];
const triggerForms = 'signal, event (with an optional where), segment or schedule';
/** Without a `holdout` line a playbook still measures its uplift; transactional ones say `holdout: 0`. */
const defaultHoldout = 0.1;
const maxHoldout = 0.5;

/**
 * Checks one playbook file (already parsed from YAML by the caller) at start, so that a typo stops
 * Tend with every problem listed rather than a journey misbehaving later. Throws
 * TendError('invalid_configuration') whose problems carry fields like `renewal.yaml: steps[2].wait.for`.
 */
export function validatePlaybook(raw: unknown, fileName: string): Playbook {
  const reader = new PlaybookReader();
  const root = reader.mapping(raw, '', topLevelKeys, true);
  if (root === null) throw refusal(reader, fileName);
  // Read in the order the fields are usually written, so the problems come out in that order.
  const head = {
    id: reader.kebab(root.id, 'id', 'the playbook id') ?? '',
    name: reader.text(root.name, 'name', true) ?? '',
    description: reader.text(root.description, 'description', false) ?? '',
    version: reader.whole(root.version, 'version', 1, 1_000_000) ?? 1,
    enabled: reader.boolean(root.enabled, 'enabled', true),
  };
  const trigger = readTrigger(reader, root.trigger);
  const playbook: Playbook = {
    ...head,
    trigger,
    audience: readAudience(reader, root.audience, 'audience') ?? anyone,
    steps: readSteps(reader, root.steps),
    exit: readExit(reader, root.exit, trigger),
    goal: readGoal(reader, root.goal),
    holdout: readHoldout(reader, root.holdout),
    reentry: readReentry(reader, root.reentry),
    priority: readPriority(reader, root.priority),
  };
  if (reader.problems.length > 0) throw refusal(reader, fileName);
  return playbook;
}

function refusal(reader: PlaybookReader, fileName: string): TendError {
  const problems = reader.problems.map((problem) => ({
    field: `${fileName}: ${problem.field || '(the whole file)'}`,
    message: problem.message,
  }));
  const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
  const list = listProblems(problems);
  return new TendError('invalid_configuration', `Playbook file ${fileName} has ${count}: ${list}`, problems);
}

const anyone: AudienceFilter = { tiers: null, lifecycleStages: null, traits: {}, consentTo: [] };

function readTrigger(reader: PlaybookReader, raw: unknown): PlaybookTrigger {
  const fallback: PlaybookTrigger = { kind: 'signal', signal: 'neglected' };
  const trigger = reader.mapping(raw, 'trigger', ['signal', 'event', 'where', 'segment', 'schedule'], true);
  if (trigger === null) return fallback;
  const forms = (['signal', 'event', 'segment', 'schedule'] as const).filter((key) => trigger[key] !== undefined);
  if (forms.length !== 1) {
    reader.problem(
      'trigger',
      `must have exactly one of ${triggerForms}${forms.length > 1 ? `, got ${forms.join(' and ')}` : ''}`,
    );
    return fallback;
  }
  const form = forms[0]!;
  if (form !== 'event' && trigger.where !== undefined)
    reader.problem('trigger.where', 'is only allowed with an event trigger');
  switch (form) {
    case 'signal': {
      const signal = reader.oneOf(trigger.signal, 'trigger.signal', signalKinds, true);
      return signal === null ? fallback : { kind: 'signal', signal };
    }
    case 'event': {
      const match = reader.eventMatch(trigger, 'trigger');
      return match === null ? fallback : { kind: 'event', ...match };
    }
    case 'segment': {
      const segment = readAudience(reader, trigger.segment, 'trigger.segment');
      if (
        segment !== null &&
        segment.tiers === null &&
        segment.lifecycleStages === null &&
        Object.keys(segment.traits).length === 0
      ) {
        reader.problem('trigger.segment', `must narrow the customers down with tiers, lifecycleStages or traits`);
      }
      return segment === null ? fallback : { kind: 'segment', segment };
    }
    case 'schedule': {
      if (typeof trigger.schedule !== 'string') {
        reader.problem(
          'trigger.schedule',
          'must be a cron expression (e.g. "0 9 * * MON") ' +
            `or a repeating interval (e.g. "R/P1W"), got ${shown(trigger.schedule)}`,
        );
        return fallback;
      }
      const parsed = parseSchedule(trigger.schedule);
      if ('problem' in parsed) {
        reader.problem('trigger.schedule', parsed.problem);
        return fallback;
      }
      return { kind: 'schedule', schedule: parsed.schedule };
    }
  }
}

function readAudience(reader: PlaybookReader, raw: unknown, path: string): AudienceFilter | null {
  const audience = reader.mapping(raw, path, audienceKeys, path !== 'audience');
  if (audience === null) return null;
  const nonEmpty = <T>(items: T[] | null, at: string, what: string): T[] | null => {
    if (items !== null && items.length === 0)
      reader.problem(at, `must list at least one ${what}, or be left out to allow any`);
    return items;
  };
  return {
    tiers: nonEmpty(
      reader.list(audience.tiers, `${path}.tiers`, (item, at) => reader.text(item, at, true)),
      `${path}.tiers`,
      'tier name',
    ),
    lifecycleStages: nonEmpty(
      reader.list(audience.lifecycleStages, `${path}.lifecycleStages`, (item, at) =>
        reader.oneOf(item, at, lifecycleStages, true),
      ),
      `${path}.lifecycleStages`,
      'lifecycle stage',
    ),
    traits: reader.scalars(audience.traits, `${path}.traits`),
    consentTo:
      reader.list(audience.consentTo, `${path}.consentTo`, (item, at) =>
        reader.oneOf(item, at, messageChannels, true),
      ) ?? [],
  };
}

function readExit(reader: PlaybookReader, raw: unknown, trigger: PlaybookTrigger): ExitCondition[] {
  const conditions = reader.list(raw, 'exit', (item, path): ExitCondition | null => {
    if (item === 'signal-cleared') {
      if (trigger.kind !== 'signal')
        reader.problem(path, `signal-cleared needs a signal trigger; this playbook starts on a ${trigger.kind}`);
      return { kind: 'signal-cleared' };
    }
    if (!isMapping(item)) {
      reader.problem(path, `must be signal-cleared or { event: NAME } (with an optional where), got ${shown(item)}`);
      return null;
    }
    reader.mapping(item, path, ['event', 'where']);
    const match = reader.eventMatch(item, path);
    return match === null ? null : { kind: 'event', ...match };
  });
  return conditions ?? [];
}

function readGoal(reader: PlaybookReader, raw: unknown): PlaybookGoal | null {
  const goal = reader.mapping(raw, 'goal', ['event', 'within']);
  if (goal === null) return null;
  const event = reader.text(goal.event, 'goal.event', true);
  const within = reader.duration(goal.within, 'goal.within', true);
  return event === null || within === null ? null : { event, within };
}

function readHoldout(reader: PlaybookReader, raw: unknown): number {
  if (raw === undefined) return defaultHoldout;
  if (typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 && raw <= maxHoldout) return raw;
  reader.problem(
    'holdout',
    `must be a share from 0 to ${maxHoldout} (0.1 holds out 10 % to measure uplift; 0 for none), got ${shown(raw)}`,
  );
  return defaultHoldout;
}

function readPriority(reader: PlaybookReader, raw: unknown): MessagePriority {
  if (raw === undefined) return defaultPriority;
  const found = messagePriorities.find((priority) => priority === raw);
  if (found !== undefined) return found;
  reader.problem(
    'priority',
    'must be incident (an outage notice: goes first), transactional (a payment failure, a receipt), ' +
      `normal (the default) or marketing (a campaign: goes after the others), got ${shown(raw)}`,
  );
  return defaultPriority;
}

function readReentry(reader: PlaybookReader, raw: unknown): ReentryPolicy {
  if (raw === undefined || raw === 'never') return { kind: 'never' };
  if (raw === 'always') return { kind: 'always' };
  if (isMapping(raw)) {
    reader.mapping(raw, 'reentry', ['after']);
    const after = reader.duration(raw.after, 'reentry.after', true);
    if (after !== null) return { kind: 'after', after };
    return { kind: 'never' };
  }
  reader.problem('reentry', `must be never, always or { after: DURATION } (e.g. { after: P30D }), got ${shown(raw)}`);
  return { kind: 'never' };
}
