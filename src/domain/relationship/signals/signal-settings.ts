// A signal kind's thresholds under `signals:` in tend.config.yaml: each one's default, how a value from the
// file is checked (a problem names its YAML path and what is allowed), and its shape in the policy view.

/** The longest span in days a setting may name: ten years. */
export const maxDays = 3650;

/**
 * What reading a setting needs of the configuration reader (ConfigReader in config-validation.ts): each
 * answers the value, or the fallback with a problem recorded against the path.
 */
export interface SettingsReader {
  whole(raw: unknown, path: string, fallback: number, min: number, max: number, unit: string): number;
  number(raw: unknown, path: string, fallback: number, min: number, max: number, what: string): number;
  positive(raw: unknown, path: string, fallback: number, max: number, unit: string): number;
  text(raw: unknown, path: string, fallback: string): string;
  list<T>(raw: unknown, path: string, fallback: readonly T[], item: (value: unknown, path: string) => T): readonly T[];
}

/** One value in the file: a number, a text, or a list of either. */
export interface SettingValue<Value> {
  readonly defaultValue: Value;
  readonly shape: 'number' | 'text' | 'numbers' | 'texts';
  /** The value at `path` of the file (undefined: absent), or the default with a problem recorded. */
  read(reader: SettingsReader, raw: unknown, path: string): Value;
}

/** A setting under `signals:`: one value (signals.paymentGraceDays), or a mapping of them (signals.atRisk). */
export interface SignalSetting<Name extends string = string, Value = unknown> {
  readonly name: Name;
  readonly defaultValue: Value;
  readonly form:
    | { readonly kind: 'value'; readonly value: SettingValue<Value> }
    | { readonly kind: 'group'; readonly fields: Readonly<Record<string, SettingValue<unknown>>> };
  /** Its value in the policy in force (the section was read from the same settings: see readSignals). */
  in(policy: { readonly signals: object }): Value;
}

export function setting<Name extends string, Value>(
  name: Name,
  value: SettingValue<Value>,
): SignalSetting<Name, Value> {
  return { name, defaultValue: value.defaultValue, form: { kind: 'value', value }, in: valueIn(name) };
}

/** A mapping of values, each checked at its own path (signals.highEffort.contacts). */
export function settingGroup<Name extends string, Values extends Record<string, unknown>>(
  name: Name,
  fields: { readonly [Field in keyof Values]: SettingValue<Values[Field]> },
): SignalSetting<Name, Readonly<Values>> {
  const defaultValue: Record<string, unknown> = {};
  for (const [field, value] of Object.entries<SettingValue<unknown>>(fields)) defaultValue[field] = value.defaultValue;
  // The loop above sets every field of Values from its own default.
  return { name, defaultValue: defaultValue as Values, form: { kind: 'group', fields }, in: valueIn(name) };
}

/** A lookup by name in the section: the configuration is validated once, so the value has its type. */
function valueIn<Value>(name: string): (policy: { readonly signals: object }) => Value {
  return (policy) => (policy.signals as Readonly<Record<string, Value>>)[name] as Value;
}

export function wholeNumber(defaultValue: number, min: number, max: number, unit: string): SettingValue<number> {
  return {
    defaultValue,
    shape: 'number',
    read: (reader, raw, path) => reader.whole(raw, path, defaultValue, min, max, unit),
  };
}

/** Any number from min to max; `what` says what it is in a problem ("a probability from 0 to 1"). */
export function numberWithin(defaultValue: number, min: number, max: number, what: string): SettingValue<number> {
  return {
    defaultValue,
    shape: 'number',
    read: (reader, raw, path) => reader.number(raw, path, defaultValue, min, max, what),
  };
}

export function positiveNumber(defaultValue: number, max: number, unit: string): SettingValue<number> {
  return {
    defaultValue,
    shape: 'number',
    read: (reader, raw, path) => reader.positive(raw, path, defaultValue, max, unit),
  };
}

export function text(defaultValue: string): SettingValue<string> {
  return { defaultValue, shape: 'text', read: (reader, raw, path) => reader.text(raw, path, defaultValue) };
}

export function wholeNumbers(
  defaultValue: readonly number[],
  min: number,
  max: number,
  unit: string,
): SettingValue<readonly number[]> {
  return {
    defaultValue,
    shape: 'numbers',
    read: (reader, raw, path) =>
      reader.list(raw, path, defaultValue, (item, itemPath) => reader.whole(item, itemPath, min, min, max, unit)),
  };
}

export function texts(defaultValue: readonly string[]): SettingValue<readonly string[]> {
  return {
    defaultValue,
    shape: 'texts',
    read: (reader, raw, path) =>
      reader.list(raw, path, defaultValue, (item, itemPath) => reader.text(item, itemPath, '')),
  };
}
