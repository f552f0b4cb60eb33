// Reads the relationship policy from tend.config.yaml once at start: the file's values over the
// defaults, every field checked, and every problem reported with its YAML path and what is allowed.
import { healthComponentNames, weightsOf } from './health-model.js';
import { TendError, type FieldProblem } from '../errors.js';
import type { TouchChannel } from './account-snapshot.js';
import type { Cadence } from './cadence-policy.js';
import type { HealthWeights } from './health-weights.js';
import { defaultTendConfig, type TendConfig } from './tend-config.js';
import type { TierDefinition } from './value-tiers.js';
import type { RateLimit, RateLimits } from '../rate-limit.js';
import { signalSettings, type SignalSettings } from './signals/registry.js';
import { maxDays } from './signals/signal-settings.js';

const touchChannels: readonly TouchChannel[] = ['phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter'];
type Mapping = Record<string, unknown>;

/**
 * Turns the parsed YAML (undefined or null when there is no file) into the configuration, or throws
 * TendError('invalid_configuration') listing every problem at once, so one edit can fix them all.
 */
export function validateTendConfig(raw: unknown, sourceName: string): TendConfig {
  const reader = new ConfigReader();
  const root = reader.mapping(raw, '', [
    'value',
    'cadence',
    'signals',
    'health',
    'today',
    'limits',
    'ingest',
    'retention',
    'people',
    'conversations',
  ]);
  const value = reader.mapping(root.value, 'value', ['basis', 'windowDays', 'tiers']);
  const tiers = reader.tiers(value.tiers, defaultTendConfig.value.tiers);
  const config: TendConfig = {
    value: {
      basis: reader.oneOf(value.basis, 'value.basis', ['profit', 'revenue'] as const, defaultTendConfig.value.basis),
      windowDays: reader.whole(
        value.windowDays,
        'value.windowDays',
        defaultTendConfig.value.windowDays,
        1,
        maxDays,
        'days',
      ),
      tiers,
    },
    cadence: reader.cadence(root.cadence, tiers),
    signals: readSignals(reader, reader.mapping(root.signals, 'signals', Object.keys(defaultTendConfig.signals))),
    health: readHealth(reader, reader.mapping(root.health, 'health', ['weights', 'learning'])),
    today: {
      size: reader.whole(
        reader.mapping(root.today, 'today', ['size']).size,
        'today.size',
        defaultTendConfig.today.size,
        1,
        100,
        'accounts',
      ),
    },
    ingest: readIngest(reader, reader.mapping(root.ingest, 'ingest', ['maximumAgeDays', 'maximumFutureHours'])),
    limits: readLimits(reader, reader.mapping(root.limits, 'limits', ['tracking', 'admin'])),
    retention: readRetention(reader, reader.mapping(root.retention, 'retention', ['eventsDays'])),
    people: {
      sessionIdleDays: reader.whole(
        reader.mapping(root.people, 'people', ['sessionIdleDays']).sessionIdleDays,
        'people.sessionIdleDays',
        defaultTendConfig.people.sessionIdleDays,
        1,
        365,
        'days',
      ),
    },
    conversations: {
      // Up to a month: a longer silence after a customer wrote would be neglect, not courtesy.
      pauseAutomationHours: reader.whole(
        reader.mapping(root.conversations, 'conversations', ['pauseAutomationHours']).pauseAutomationHours,
        'conversations.pauseAutomationHours',
        defaultTendConfig.conversations.pauseAutomationHours,
        0,
        720,
        'hours (0: automated messages do not pause after a customer writes)',
      ),
    },
  };
  if (reader.problems.length > 0) {
    const list = reader.problems
      .map((problem) => `${problem.field || '(the whole file)'} ${problem.message}`)
      .join('; ');
    const count = reader.problems.length === 1 ? 'a problem' : `${reader.problems.length} problems`;
    throw new TendError('invalid_configuration', `${sourceName} has ${count}: ${list}`, reader.problems);
  }
  return config;
}

/**
 * The settings of every kind of signal (see signals/registry.ts): first the shape of each mapping among
 * them, then each value, so that problems are listed in the order of the section.
 */
function readSignals(reader: ConfigReader, raw: Mapping): SignalSettings {
  const mappings = new Map<string, Mapping>();
  for (const { name, form } of signalSettings) {
    if (form.kind === 'group')
      mappings.set(name, reader.mapping(raw[name], `signals.${name}`, Object.keys(form.fields)));
  }
  const settings: Record<string, unknown> = {};
  for (const { name, form } of signalSettings) {
    const path = `signals.${name}`;
    if (form.kind === 'value') {
      settings[name] = form.value.read(reader, raw[name], path);
      continue;
    }
    const given = mappings.get(name) ?? {};
    const values: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(form.fields))
      values[field] = value.read(reader, given[field], `${path}.${field}`);
    settings[name] = values;
  }
  // Every setting of every kind was read above, each as its own SettingValue says.
  return settings as SignalSettings;
}

function readHealth(reader: ConfigReader, raw: Mapping): TendConfig['health'] {
  const learning = reader.mapping(raw.learning, 'health.learning', ['enabled', 'minimumLostAccounts']);
  const d = defaultTendConfig.health.learning;
  return {
    weights: reader.weights(raw.weights),
    learning: {
      enabled: reader.flag(learning.enabled, 'health.learning.enabled', d.enabled),
      minimumLostAccounts: reader.whole(
        learning.minimumLostAccounts,
        'health.learning.minimumLostAccounts',
        d.minimumLostAccounts,
        2,
        1_000_000,
        'lost accounts',
      ),
    },
  };
}

function readLimits(reader: ConfigReader, raw: Mapping): RateLimits {
  const d = defaultTendConfig.limits;
  const tracking = reader.mapping(raw.tracking, 'limits.tracking', ['requests', 'events']);
  const admin = reader.mapping(raw.admin, 'limits.admin', ['perToken', 'perAddress', 'failedAuthentications']);
  // A burst left out keeps the default's seconds' worth of the rate given.
  const rate = (value: unknown, path: string, fallback: RateLimit, unit: string): RateLimit => {
    const at = `limits.${path}`;
    const given = reader.mapping(value, at, ['perSecond', 'burst']);
    const perSecond = reader.positive(given.perSecond, `${at}.perSecond`, fallback.perSecond, 1e6, `${unit} a second`);
    const burst = Math.max(1, Math.ceil((fallback.burst / fallback.perSecond) * perSecond));
    return { perSecond, burst: reader.whole(given.burst, `${at}.burst`, burst, 1, 1e8, unit) };
  };
  return {
    tracking: {
      requests: rate(tracking.requests, 'tracking.requests', d.tracking.requests, 'requests'),
      events: rate(tracking.events, 'tracking.events', d.tracking.events, 'events'),
    },
    admin: {
      perToken: rate(admin.perToken, 'admin.perToken', d.admin.perToken, 'requests'),
      perAddress: rate(admin.perAddress, 'admin.perAddress', d.admin.perAddress, 'requests'),
      failedAuthentications: rate(
        admin.failedAuthentications,
        'admin.failedAuthentications',
        d.admin.failedAuthentications,
        'failed authentications',
      ),
    },
  };
}

// A hundred years of months is at most 1,200 partitions of events.
function readIngest(reader: ConfigReader, raw: Mapping): TendConfig['ingest'] {
  const d = defaultTendConfig.ingest;
  return {
    maximumAgeDays: reader.whole(raw.maximumAgeDays, 'ingest.maximumAgeDays', d.maximumAgeDays, 1, 36_525, 'days'),
    maximumFutureHours: reader.whole(
      raw.maximumFutureHours,
      'ingest.maximumFutureHours',
      d.maximumFutureHours,
      0,
      8_784,
      'hours',
    ),
  };
}

// Shorter than 90 days would take events from under playbook runs still waiting on them.
function readRetention(reader: ConfigReader, raw: Mapping): TendConfig['retention'] {
  if (raw.eventsDays === undefined || raw.eventsDays === null) return { eventsDays: null };
  return { eventsDays: reader.whole(raw.eventsDays, 'retention.eventsDays', 36_525, 90, 36_525, 'days') };
}

/** Collects problems while reading; every reader returns the default when the value is wrong or absent. */
export class ConfigReader {
  readonly problems: FieldProblem[] = [];
  /** Set when the tiers were wrong: cadence names are then not checked against the default tiers. */
  private tiersInvalid = false;

  problem(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** A mapping (absent or null: empty), with its unknown keys reported against the allowed ones. */
  mapping(raw: unknown, path: string, allowed: readonly string[] | null): Mapping {
    if (raw === undefined || raw === null) return {};
    if (!isMapping(raw)) {
      this.problem(path, `must be a mapping of settings, got ${shown(raw)}`);
      return {};
    }
    if (allowed !== null) {
      for (const key of Object.keys(raw)) {
        if (!allowed.includes(key))
          this.problem(join(path, key), `is not a setting here; allowed: ${allowed.join(', ')}`);
      }
    }
    return raw;
  }

  whole(raw: unknown, path: string, fallback: number, min: number, max: number, unit: string): number {
    if (raw === undefined) return fallback;
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= min && raw <= max) return raw;
    this.problem(path, `must be a whole number of ${unit} from ${min} to ${max}, got ${shown(raw)}`);
    return fallback;
  }

  flag(raw: unknown, path: string, fallback: boolean): boolean {
    if (raw === undefined) return fallback;
    if (typeof raw === 'boolean') return raw;
    this.problem(path, `must be true or false, got ${shown(raw)}`);
    return fallback;
  }

  number(raw: unknown, path: string, fallback: number, min: number, max: number, what: string): number {
    if (raw === undefined) return fallback;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw >= min && raw <= max) return raw;
    this.problem(path, `must be ${what}, got ${shown(raw)}`);
    return fallback;
  }

  positive(raw: unknown, path: string, fallback: number, max: number, unit: string): number {
    if (raw === undefined) return fallback;
    if (typeof raw === 'number' && Number.isFinite(raw) && raw > 0 && raw <= max) return raw;
    this.problem(path, `must be a number of ${unit} above 0 and at most ${max}, got ${shown(raw)}`);
    return fallback;
  }

  text(raw: unknown, path: string, fallback: string): string {
    if (raw === undefined) return fallback;
    if (typeof raw === 'string' && raw.trim() !== '') return raw.trim();
    this.problem(path, `must be a non-empty text, got ${shown(raw)}`);
    return fallback;
  }

  oneOf<T extends string>(raw: unknown, path: string, allowed: readonly T[], fallback: T): T {
    if (raw === undefined) return fallback;
    const found = allowed.find((option) => option === raw);
    if (found !== undefined) return found;
    this.problem(path, `must be one of ${allowed.join(', ')}, got ${shown(raw)}`);
    return fallback;
  }

  list<T>(raw: unknown, path: string, fallback: readonly T[], item: (value: unknown, path: string) => T): readonly T[] {
    if (raw === undefined) return fallback;
    if (!Array.isArray(raw)) {
      this.problem(path, `must be a list, got ${shown(raw)}`);
      return fallback;
    }
    return raw.map((value: unknown, index) => item(value, `${path}[${index}]`));
  }

  tiers(raw: unknown, fallback: readonly TierDefinition[]): readonly TierDefinition[] {
    if (raw === undefined) return fallback;
    if (!Array.isArray(raw) || raw.length === 0) {
      this.problem('value.tiers', `must be a non-empty list of tiers (name, upToShare), got ${shown(raw)}`);
      return fallback;
    }
    const before = this.problems.length;
    const tiers = raw.map((entry: unknown, index): TierDefinition => {
      const path = `value.tiers[${index}]`;
      const tier = this.mapping(entry, path, ['name', 'upToShare']);
      const name = this.text(tier.name ?? null, `${path}.name`, '');
      const upToShare = tier.upToShare === undefined ? NaN : Number(tier.upToShare);
      if (!(typeof tier.upToShare === 'number' && upToShare > 0 && upToShare <= 1)) {
        this.problem(
          `${path}.upToShare`,
          `must be a cumulative share above 0 and at most 1, got ${shown(tier.upToShare)}`,
        );
      }
      return { name, upToShare };
    });
    tiers.forEach((tier, index) => {
      const previous = tiers[index - 1];
      if (previous !== undefined && tier.upToShare <= previous.upToShare) {
        this.problem(
          `value.tiers[${index}].upToShare`,
          `must be greater than the tier before's ${previous.upToShare}, got ${tier.upToShare}`,
        );
      }
      if (tier.name !== '' && tiers.findIndex((other) => other.name === tier.name) !== index) {
        this.problem(`value.tiers[${index}].name`, `must be unique, got ${shown(tier.name)} twice`);
      }
    });
    const last = tiers[tiers.length - 1]!;
    if (last.upToShare !== 1 && last.upToShare > 0 && last.upToShare < 1) {
      this.problem(
        `value.tiers[${tiers.length - 1}].upToShare`,
        `must be 1 for the last tier, which holds the rest, got ${last.upToShare}`,
      );
    }
    this.tiersInvalid = this.problems.length > before;
    return this.tiersInvalid ? fallback : tiers;
  }

  /** Default cadences for tiers kept by name; the file's entries override them field by field. */
  cadence(raw: unknown, tiers: readonly TierDefinition[]): Readonly<Record<string, Cadence>> {
    const names = tiers.map((tier) => tier.name);
    const given = this.mapping(raw, 'cadence', null);
    const template = defaultTendConfig.cadence.C!;
    const result: Record<string, Cadence> = {};
    for (const name of names) {
      const fallback = defaultTendConfig.cadence[name];
      if (fallback !== undefined) result[name] = fallback;
    }
    for (const [name, entryRaw] of Object.entries(given)) {
      const path = `cadence.${name}`;
      if (!names.includes(name)) {
        if (!this.tiersInvalid) this.problem(path, `is not a tier; tiers are ${names.join(', ')}`);
        continue;
      }
      const entry = this.mapping(entryRaw, path, ['everyDays', 'objective', 'methods']);
      const base = result[name];
      if (base === undefined && entry.everyDays === undefined)
        this.problem(`${path}.everyDays`, 'is required for a tier without a default cadence');
      result[name] = {
        everyDays: this.whole(
          entry.everyDays,
          `${path}.everyDays`,
          base?.everyDays ?? template.everyDays,
          1,
          maxDays,
          'days',
        ),
        objective: this.text(entry.objective, `${path}.objective`, base?.objective ?? template.objective),
        methods: this.methods(entry.methods, `${path}.methods`, base?.methods ?? template.methods),
      };
    }
    const lastName = names[names.length - 1];
    if (lastName !== undefined && result[lastName] === undefined) {
      this.problem(`cadence.${lastName}`, "is required: the last tier's cadence also applies to tiers without one");
    }
    return result;
  }

  methods(raw: unknown, path: string, fallback: readonly TouchChannel[]): readonly TouchChannel[] {
    const methods = this.list(raw, path, fallback, (item, itemPath) =>
      this.oneOf(item, itemPath, touchChannels, 'phone'),
    );
    if (methods.length === 0) this.problem(path, `must name at least one of ${touchChannels.join(', ')}`);
    return methods;
  }

  weights(raw: unknown): HealthWeights {
    const given = this.mapping(raw, 'health.weights', Object.keys(defaultTendConfig.health.weights));
    const base = defaultTendConfig.health.weights;
    const read = (key: keyof HealthWeights): number =>
      this.number(given[key], `health.weights.${key}`, base[key], 0, 1_000_000, 'a weight of 0 or more');
    const weights = weightsOf(healthComponentNames.map(read));
    if (Object.values(weights).reduce((total, weight) => total + weight, 0) <= 0) {
      this.problem('health.weights', 'must have at least one weight above 0, got all 0');
    }
    return weights;
  }
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A value as the user wrote it: "monthly", 0, true, a list, a mapping, nothing. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return `the date ${value.toISOString().slice(0, 10)}`;
  return 'a mapping';
}
