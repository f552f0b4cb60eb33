// A signal kind's thresholds under `signals:` in tend.config.yaml: each one's default, how a value from the
// file is checked (a problem names its YAML path and what is allowed), and its shape in the policy view.
import type { ConfigReader } from '../config-validation.js';

/** The longest span in days a setting may name: ten years. */
export const maxDays = 3650;

/** One value in the file: a number, a text, or a list of either. */
export interface SettingValue<Value> {
  readonly defaultValue: Value;
  readonly shape: 'number' | 'text' | 'numbers' | 'texts';
  /** The value at `path` of the file (undefined: absent), or the default with a problem recorded. */
  read(reader: ConfigReader, raw: unknown, path: string): Value;
}

/** A setting under `signals:`: one value (signals.paymentGraceDays), or a mapping of them (signals.atRisk). */
export interface SignalSetting<Name extends string = string, Value = unknown> {
  readonly name: Name;
  readonly defaultValue: Value;
  readonly form:
    | { readonly kind: 'value'; readonly value: SettingValue<Value> }
    | { readonly kind: 'group'; readonly fields: Readonly<Record<string, SettingValue<unknown>>> };
}

export function setting<Name extends string, Value>(
  name: Name,
  value: SettingValue<Value>,
): SignalSetting<Name, Value> {
  return { name, defaultValue: value.defaultValue, form: { kind: 'value', value } };
}

/** A mapping of values, each checked at its own path (signals.highEffort.contacts). */
export function settingGroup<Name extends string, Values extends Record<string, unknown>>(
  name: Name,
  fields: { readonly [Field in keyof Values]: SettingValue<Values[Field]> },
): SignalSetting<Name, Readonly<Values>> {
  const defaultValue: Record<string, unknown> = {};
  for (const [field, value] of Object.entries<SettingValue<unknown>>(fields)) defaultValue[field] = value.defaultValue;
  // The loop above sets every field of Values from its own default.
  return { name, defaultValue: defaultValue as Values, form: { kind: 'group', fields } };
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
