// The seam through which engine work (and the API) tells staff about what concerns them: a notice as the
// person chose to get its kind, or a message straight to their e-mail. Written in the caller's transaction.
import type { Transaction } from 'kysely';
import type { StaffNotice } from '../domain/staff-notices.js';
import type { Database } from '../store/schema.js';
import {
  mailStaff as writeStaffMail,
  notifyStaff as writeStaffNotice,
  type StaffMail,
} from '../store/staff-notice-store.js';

export type { StaffNotice, StaffNoticeKind } from '../domain/staff-notices.js';
export type { StaffMail } from '../store/staff-notice-store.js';

/**
 * Tells a staff member about something that concerns them (immediately on e-mail and Slack, in their
 * digest, or not at all, as they chose for its kind); exactly once per `notice.idempotencyKey`.
 */
export async function notifyStaff(trx: Transaction<Database>, notice: StaffNotice, now: Date): Promise<void> {
  await writeStaffNotice(trx, notice, now);
}

/**
 * A message straight to a staff member by e-mail, whatever their preferences (e.g. "this BCC'd mail could
 * not be logged").
 */
export async function mailStaff(trx: Transaction<Database>, mail: StaffMail, now: Date): Promise<void> {
  await writeStaffMail(trx, mail, now);
}
