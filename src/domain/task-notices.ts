// The notice a person gets about a task: one made for them (by a playbook's task or alert step, or by
// a colleague), or one escalated to them as manager because it is overdue.
import type { StaffNotice, StaffNoticeKind } from './staff-notices.js';

export interface NoticedTask {
  readonly id: string;
  readonly accountId: string | null;
  readonly objective: string;
  readonly dueAt: Date;
  readonly ownerEmail: string;
}

/** Why a task reaches its person. */
export type TaskCause =
  | { readonly kind: 'playbook'; readonly step: 'create-task' | 'alert' | 'escalate'; readonly playbookId: string }
  | { readonly kind: 'colleague'; readonly by: string }
  | { readonly kind: 'overdue'; readonly managerEmail: string };

const dueWords = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Where the link opens: the task's account, or the task list when it concerns none. */
function pathOf(task: NoticedTask): string {
  return task.accountId === null ? '/tasks' : `/accounts/${encodeURIComponent(task.accountId)}`;
}

export function taskNotice(task: NoticedTask, cause: TaskCause): StaffNotice {
  const common = { accountId: task.accountId, path: pathOf(task) };
  switch (cause.kind) {
    case 'playbook': {
      const kind: StaffNoticeKind =
        cause.step === 'alert' ? 'alert' : cause.step === 'escalate' ? 'escalation' : 'task';
      const title =
        cause.step === 'alert'
          ? `Alert: ${task.objective}`
          : cause.step === 'escalate'
            ? task.objective
            : `New task: ${task.objective}`;
      return {
        ...common,
        kind,
        userEmail: task.ownerEmail,
        title,
        reason: `The playbook "${cause.playbookId}" gave you this; due ${dueWords(task.dueAt)}.`,
        idempotencyKey: `task:${task.id}:created:${task.ownerEmail}`,
      };
    }
    case 'colleague':
      return {
        ...common,
        kind: 'task',
        userEmail: task.ownerEmail,
        title: `New task: ${task.objective}`,
        reason: `${cause.by} gave you this task; due ${dueWords(task.dueAt)}.`,
        idempotencyKey: `task:${task.id}:created:${task.ownerEmail}`,
      };
    case 'overdue':
      return {
        ...common,
        kind: 'escalation',
        userEmail: cause.managerEmail,
        title: `Overdue: ${task.objective}`,
        reason: `${task.ownerEmail}'s task was due ${dueWords(task.dueAt)} and is still open; it is escalated to you.`,
        idempotencyKey: `task:${task.id}:escalated:${cause.managerEmail}`,
      };
  }
}
