// Every kind of signal Tend raises, one entry each: the kinds' names, the order they are evaluated and
// listed in, and their thresholds as one `signals:` section of tend.config.yaml all come from here.
import { asyncOnlyAfterDays, asyncOnlySignal } from './async-only.js';
import { atRiskSignal } from './at-risk.js';
import { detractorSignal } from './detractor.js';
import { disengagingSignal } from './disengaging.js';
import { highEffortSignal } from './high-effort.js';
import { momentThatMattersSignal } from './moment-that-matters.js';
import { neglectedSignal } from './neglected.js';
import { neverSpokenSignal } from './never-spoken.js';
import { onboardingStalledSignal } from './onboarding-stalled.js';
import { paymentLateSignal } from './payment-late.js';
import { promiseBrokenSignal } from './promise-broken.js';
import { promiseDueSignal } from './promise-due.js';
import { renewalApproachingSignal } from './renewal-approaching.js';
import type { SignalDefinition } from './signal-definition.js';
import type { SignalSetting } from './signal-settings.js';
import { slowResponseSignal } from './slow-response.js';

/** In evaluation order: an account's signals come out, and kinds are listed, in this order. */
const definitions = {
  neglected: neglectedSignal,
  'async-only': asyncOnlySignal,
  'never-spoken': neverSpokenSignal,
  disengaging: disengagingSignal,
  'at-risk': atRiskSignal,
  detractor: detractorSignal,
  'high-effort': highEffortSignal,
  'slow-response': slowResponseSignal,
  'renewal-approaching': renewalApproachingSignal,
  'payment-late': paymentLateSignal,
  'onboarding-stalled': onboardingStalledSignal,
  'moment-that-matters': momentThatMattersSignal,
  'promise-broken': promiseBrokenSignal,
  'promise-due': promiseDueSignal,
};

export type SignalKind = keyof typeof definitions;

/** The compiler holds each entry to its key: the definition under 'neglected' raises 'neglected'. */
export const signalRegistry: { readonly [Kind in SignalKind]: SignalDefinition<Kind> } = definitions;

export const signalKinds = Object.keys(signalRegistry) as readonly SignalKind[];

/** The definitions in evaluation order, for the loops on hot paths. */
export const signalDefinitions: readonly SignalDefinition<SignalKind>[] = signalKinds.map(
  (kind) => signalRegistry[kind],
);

type AnySetting = (typeof definitions)[SignalKind]['settings'][number];

/** The `signals:` section of tend.config.yaml as read: each kind's settings by name. */
export type SignalSettings = { readonly [Setting in AnySetting as Setting['name']]: Setting['defaultValue'] };

/**
 * The settings in the order the section has always been read and shown in (so that problems and the
 * allowed keys are listed as before); the settings of kinds added since follow in evaluation order.
 */
const settingsOrder: readonly (keyof SignalSettings)[] = [
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
];

const rankOf = (setting: SignalSetting): number => {
  const rank = settingsOrder.indexOf(setting.name as keyof SignalSettings);
  return rank === -1 ? settingsOrder.length : rank;
};

/** Every kind's settings, in the order of the section (see settingsOrder). */
export const signalSettings: readonly SignalSetting[] = signalDefinitions
  .flatMap((definition) => definition.settings)
  .sort((a, b) => rankOf(a) - rankOf(b));

/** The section's defaults: what applies where tend.config.yaml is silent. */
export const defaultSignalSettings = Object.fromEntries(
  signalSettings.map((setting) => [setting.name, setting.defaultValue]),
) as SignalSettings;

/**
 * The recent stretch of touches an evaluation reads whole (older ones only from the last conversation
 * on): the async-only stretch, and at least 90 days. A rule that looks further back at touches must
 * widen it here.
 */
export function recentTouchDays(policy: { readonly signals: object }): number {
  return Math.max(90, asyncOnlyAfterDays.in(policy));
}
