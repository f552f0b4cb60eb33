// Who may act on a task: seeing one follows the book (its owner, the person it was escalated to, or its
// account); completing one is for its owner, the owner's manager (or the manager it was escalated to),
// and admins. Handing out tasks is for oneself and, for a manager, their reps.
import { mayViewUser, type Viewer } from './viewer.js';

/** Whether the viewer may record the outcome of a task with this owner and escalation. */
export function mayCompleteTask(
  viewer: Viewer,
  task: { readonly owner: string; readonly escalatedTo: string | null },
): boolean {
  if (mayViewUser(viewer, task.owner)) return true;
  return viewer.user !== null && task.escalatedTo?.toLowerCase() === viewer.user.email;
}

/** Whether the viewer may give a task to this person: themselves, a manager their reps, an admin anyone. */
export function mayAssignTask(viewer: Viewer, ownerEmail: string): boolean {
  return mayViewUser(viewer, ownerEmail);
}
