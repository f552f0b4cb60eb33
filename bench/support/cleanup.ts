// Undo actions for the benchmarks (kill a child, stop a cluster, delete a temporary folder), run
// when the benchmark ends, fails, or is stopped with Ctrl-C, so nothing outlives it.
const actions = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const action of [...actions].reverse()) {
    actions.delete(action);
    try {
      action();
    } catch (error) {
      console.error(`cleanup failed: ${String(error)}`);
    }
  }
}

/** Registers a synchronous undo action; returns a function that runs and forgets it early. */
export function onCleanup(action: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: cleaning up`);
        runAll();
        process.exit(130);
      });
    }
  }
  actions.add(action);
  return () => {
    if (!actions.delete(action)) return;
    action();
  };
}
