// How many runs of one group of a playbook (treated or held out) did each thing: what its results are
// counted in, for the whole playbook or one risk band.

export interface GroupCounts {
  entered: number;
  active: number;
  sent: number;
  responded: number;
  goalReached: number;
  retained: number;
}

export const noRuns = (): GroupCounts => ({
  entered: 0,
  active: 0,
  sent: 0,
  responded: 0,
  goalReached: 0,
  retained: 0,
});

/** The counts of two sets of runs taken together: every measure counts runs, so they add up. */
export function addCounts(first: GroupCounts, second: GroupCounts): GroupCounts {
  return {
    entered: first.entered + second.entered,
    active: first.active + second.active,
    sent: first.sent + second.sent,
    responded: first.responded + second.responded,
    goalReached: first.goalReached + second.goalReached,
    retained: first.retained + second.retained,
  };
}
