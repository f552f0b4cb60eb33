// What happens in one chaos run, in two phases: the traffic (clients send every event while the clock
// follows them), then the rest of the simulated days (the playbooks' waits end, texts and tasks come
// due). Throughout, customers answer and opt out, reps complete tasks, and Tend is killed with SIGKILL
// at random moments and started again. At the end, a last kill and a quiet restart let everything due
// go out.
import { seededRandom } from '../../src/domain/models/random.js';
import { type Acknowledged, runClients } from './clients.js';
import { ClockDriver } from './clock-driver.js';
import { Customers } from './customers.js';
import { callUntilAnswered, newTally, type Tally } from './http.js';
import { buildPopulation, type Population } from './population.js';
import { secrets, type Stage } from './stage.js';
import { Traffic } from './traffic.js';

export interface ScenarioOptions {
  readonly events: number;
  readonly kills: number;
  readonly clients: number;
  readonly days: number;
  readonly seed: number;
  readonly log: (text: string) => void;
}

export interface Happened {
  readonly population: Population;
  readonly acknowledged: Acknowledged;
  readonly customers: Customers;
  readonly clock: ClockDriver;
  readonly tally: Tally;
  readonly trafficSeconds: number;
  /** Real seconds the second phase took to move the clock to its end. */
  readonly timeSeconds: number;
  readonly clockStart: Date;
  readonly clockAtTrafficEnd: Date;
  readonly clockEnd: Date;
  /** Tend's clock once everything had gone out. */
  readonly finalNow: Date;
}

/** The part of the run's progress (and so of the kills) that falls in the traffic phase. */
const trafficShare = 0.7;
const hour = 3_600_000;
const pause = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));
const minute = (at: Date | number) => new Date(at).toISOString().slice(0, 16);

export async function playScenario(stage: Stage, options: ScenarioOptions): Promise<Happened> {
  const { runner, url, smtp } = stage;
  const log = (text: string) => options.log(`${stage.backend}: ${text}`);
  const random = seededRandom(options.seed);
  const clockStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const clockEnd = clockStart.getTime() + options.days * 86_400_000;
  log(`starting Tend ${stage.codeVersion} (log: ${stage.logFile})`);
  await runner.start(stage.environment(clockStart));

  const tally = newTally();
  const population = buildPopulation(Math.max(50, Math.round(options.events / 250)), random);
  const clock = new ClockDriver(() => url, secrets.adminToken, clockStart, tally);
  const admin = { authorization: `Bearer ${secrets.adminToken}`, 'content-type': 'application/json' };
  for (const rep of population.reps) {
    const body = JSON.stringify({ email: rep.email, name: rep.name, role: rep.role, managerEmail: rep.managerEmail });
    const call = { method: 'POST' as const, headers: admin, body };
    await callUntilAnswered(`${url}/api/v1/users`, call, tally, 'POST /api/v1/users');
  }
  const traffic = new Traffic(population, random, options.events, `chaos-${stage.backend}`, () => clock.now());
  const { adminToken, inboundEmailSecret } = secrets;
  const twilio = secrets.twilio;
  const settings = { url, publicUrl: url, adminToken, inboundEmailSecret, twilio, population, random, tally };
  const customers = new Customers(settings);
  smtp.onReceived = (email) => customers.onEmail(email);
  stage.twilio.onReceived = (text) => customers.onText(text);
  const acknowledged: Acknowledged = { messageIds: [], refused: 0, refusedSamples: [] };

  let trafficDone = false;
  let timeDone = false;
  let clockAtTrafficEnd = clockStart.getTime();
  const progress = (): number => {
    if (!trafficDone) return trafficShare * (acknowledged.messageIds.length / options.events);
    const span = Math.max(1, clockEnd - clockAtTrafficEnd);
    return trafficShare + (1 - trafficShare) * Math.min(1, (clock.now().getTime() - clockAtTrafficEnd) / span);
  };
  const restart = async (why: string) => {
    await runner.kill();
    const started = await runner.start(stage.environment(clock.resumeAt()));
    const seconds = (milliseconds: number | null) => (milliseconds === null ? '?' : (milliseconds / 1000).toFixed(2));
    const listening = seconds(started.listeningMilliseconds);
    const healthy = seconds(started.startMilliseconds);
    log(`kill ${runner.kills} (${why}); listening after ${listening} s, /health answered after ${healthy} s`);
  };
  // The kills: at random moments spread over both phases (the last one after them, before the checks).
  const killAt = Array.from({ length: options.kills - 1 }, () => 0.02 + random.next() * 0.96).sort((a, b) => a - b);
  const killer = (async () => {
    for (const threshold of killAt) {
      while (progress() < threshold && !timeDone) await pause(50);
      if (timeDone) break;
      await pause(random.integer(1500));
      await restart(`at ${(progress() * 100).toFixed(1)} % of the run, clock at ${minute(clock.now())}`);
      // Some life between two kills, so that they do not all land on a start.
      await pause(1000 + random.integer(2000));
    }
    // Kills that the run ended before: all of them happen, whatever the machine's speed.
    while (runner.kills < killAt.length) {
      await pause(random.integer(3000));
      await restart('after the simulated days');
    }
  })();
  // Tend's clock follows the traffic (at most an hour per advance), then runs on to the end, 4 h at a time.
  const clocking = (async () => {
    while (!trafficDone) {
      const share = acknowledged.messageIds.length / options.events;
      const target = clockStart.getTime() + (clockEnd - clockStart.getTime()) * share;
      await clock.advanceTo(new Date(Math.min(target, clock.now().getTime() + hour)));
      await pause(200);
    }
    clockAtTrafficEnd = clock.now().getTime();
    while (clock.now().getTime() < clockEnd) {
      await clock.advanceTo(new Date(Math.min(clockEnd, clock.now().getTime() + 4 * hour)));
      await pause(200);
    }
    timeDone = true;
  })();
  // Agreement to texts once everyone's identify is stored; then opt-outs at random moments, reps at work.
  const present = population.accounts.filter((account) => account.arrivesAt === 0);
  const firstPeople = present.reduce((sum, account) => sum + account.people.length, 0);
  const background = (async () => {
    while (acknowledged.messageIds.length < firstPeople * 2 * 1.05 && !trafficDone) await pause(200);
    await pause(2_000);
    await customers.optInToTexts(4);
    log(`${customers.figures.smsOptIns} people agreed to texts`);
    const optOuts = Math.max(10, Math.round(population.people.length * 0.03));
    while (!timeDone) {
      if (customers.optOuts.length < optOuts && random.next() < 0.3) await customers.optOutSomebody();
      if (random.next() < 0.3) await customers.completeSomeTasks();
      await pause(200 + random.integer(400));
    }
  })();

  const began = performance.now();
  await runClients({ url, writeKey: secrets.writeKey, clients: options.clients, traffic, random, tally, acknowledged });
  const trafficSeconds = (performance.now() - began) / 1000;
  trafficDone = true;
  const events = acknowledged.messageIds.length;
  const took = trafficSeconds.toFixed(1);
  log(`${events} events acknowledged in ${took} s; clock at ${minute(clock.now())}, on to ${minute(clockEnd)}`);
  const timeBegan = performance.now();
  await Promise.all([killer, clocking, background]);
  const timeSeconds = (performance.now() - timeBegan) / 1000;
  await customers.settle();

  // The last kill, then a quiet restart: whatever is due goes out, every callback is answered.
  await restart('after the traffic');
  await clock.advanceTo(new Date(clock.resumeAt().getTime() + 60_000));
  let delivered = -1;
  while (delivered !== smtp.received.length + stage.twilio.received.length) {
    delivered = smtp.received.length + stage.twilio.received.length;
    await pause(3_000);
  }
  await stage.twilio.settled();
  const finalNow = await clock.read();
  await runner.stop();
  return {
    population,
    acknowledged,
    customers,
    clock,
    tally,
    trafficSeconds,
    timeSeconds,
    clockStart,
    clockAtTrafficEnd: new Date(clockAtTrafficEnd),
    clockEnd: new Date(clockEnd),
    finalNow,
  };
}
