// Preloaded into every `tend start` of the journeys benchmark (NODE_OPTIONS=--import): notes in the
// file named by JOURNEYS_SIGNAL_LOG when the process is asked to stop (SIGINT, SIGTERM) and when it
// exits. The machine is shared, and a stop sent by someone else's clean-up (a `pkill -f`) would
// otherwise look like Tend refusing connections in the middle of a run.
import { appendFileSync } from 'node:fs';

const file = process.env.JOURNEYS_SIGNAL_LOG;
const note = (what) => {
  try {
    appendFileSync(file, `${new Date().toISOString()} pid ${process.pid} ${what}\n`);
  } catch {
    // Nowhere to write: the benchmark will still see the process gone.
  }
};
if (file) {
  // Listening does not replace Tend's own handlers (its graceful stop still runs); SIGHUP is left
  // alone, since a listener would stop it from ending the process.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => note(`received ${signal}`));
  process.on('exit', (code) => note(`exited with code ${code}`));
}
