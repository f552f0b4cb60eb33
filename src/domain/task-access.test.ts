// Completing and handing out tasks: the owner, their manager, the manager it was escalated to, an admin.
import { describe, expect, it } from 'vitest';
import { mayAssignTask, mayCompleteTask } from './task-access.js';
import type { Viewer } from './viewer.js';

const user = (email: string) => ({ id: email, email, name: null });
const person = (email: string) => ({ actor: { kind: 'user', email } as const, user: user(email) });
const admin: Viewer = { kind: 'admin', actor: { kind: 'admin-token', label: 'ops' }, user: null };
const maria: Viewer = { kind: 'manager', ...person('maria@co.example'), repEmails: ['rita@co.example'] };
const rita: Viewer = { kind: 'rep', ...person('rita@co.example') };
const sam: Viewer = { kind: 'rep', ...person('sam@co.example') };
const everyone = [admin, maria, rita, sam];

describe('tasks', () => {
  it('are completed by their owner, the owner’s manager, the manager they were escalated to, and admins', () => {
    const ritas = { owner: 'rita@co.example', escalatedTo: null };
    expect(everyone.map((viewer) => mayCompleteTask(viewer, ritas))).toEqual([true, true, true, false]);
    const escalatedToMaria = { owner: 'olga@co.example', escalatedTo: 'Maria@co.example' };
    expect(everyone.map((viewer) => mayCompleteTask(viewer, escalatedToMaria))).toEqual([true, true, false, false]);
  });

  it('are handed out to oneself, a manager’s reps, or anyone by an admin', () => {
    expect(everyone.map((viewer) => mayAssignTask(viewer, 'rita@co.example'))).toEqual([true, true, true, false]);
    expect(everyone.map((viewer) => mayAssignTask(viewer, 'maria@co.example'))).toEqual([true, true, false, false]);
  });
});
