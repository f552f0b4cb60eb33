// Whether a subject belongs to a playbook's audience: its tier, lifecycle stage and traits.
import type { AudienceFilter } from './playbook-definition.js';

export interface AudienceSubject {
  readonly tier: string | null;
  readonly lifecycleStage: string | null;
  readonly traits: Readonly<Record<string, unknown>>;
}

/** True when every condition the audience sets holds (an unset condition admits everyone). */
export function audienceAdmits(audience: AudienceFilter, subject: AudienceSubject): boolean {
  if (audience.tiers !== null && (subject.tier === null || !audience.tiers.includes(subject.tier))) return false;
  if (
    audience.lifecycleStages !== null &&
    !(audience.lifecycleStages as readonly string[]).includes(subject.lifecycleStage ?? 'active')
  )
    return false;
  return Object.entries(audience.traits).every(([trait, value]) => subject.traits[trait] === value);
}
