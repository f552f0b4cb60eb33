// A playbook's definition in words — who it is for, its steps in order with how many runs wait at each,
// when a run ends — for the playbook's page.
import type { Reply } from '../api/types';
import { count, duration, words } from './format';
import { useSignalWords } from './signal-words';

type Playbook = Reply<'/api/v1/playbooks/{id}'>;
type Step = Playbook['steps'][number];

const who = (target: string): string =>
  target === 'owner'
    ? "the account's owner"
    : target === 'manager'
      ? "the owner's manager"
      : target.replace(/^role:/, 'a ');

/** One step, as a sentence; `signalWord` names a kind of signal. */
export function stepWords(step: Step, signalWord: (kind: string) => string): string {
  switch (step.kind) {
    case 'send':
      return (
        `Send "${step.template}" by ` +
        `${step.channel === 'best' ? 'the channel they answer best' : words(step.channel).toLowerCase()}` +
        `${step.fallback === null ? '' : `, else by ${step.fallback}`}`
      );
    case 'wait':
      switch (step.wait.kind) {
        case 'duration':
          return `Wait ${duration(step.wait.duration.ms)}`;
        case 'local-time':
          return `Wait until ${step.wait.time} in their time zone`;
        case 'event':
          return `Wait for "${step.wait.event}", at most ${duration(step.wait.timeout.ms)}`;
      }
      return 'Wait';
    case 'branch': {
      const condition = step.condition;
      const test =
        condition.kind === 'responded'
          ? 'they responded'
          : condition.kind === 'signal-open'
            ? `"${signalWord(condition.signal)}" is still open`
            : condition.kind === 'event'
              ? `"${condition.event}" happened`
              : 'their traits match';
      return `If ${test}, go to ${step.then}${step.else === null ? '' : `, else to ${step.else}`}`;
    }
    case 'task':
      return `A task for ${who(step.for)}: "${step.objective}", due in ${step.dueIn.text}`;
    case 'alert':
      return `Alert ${who(step.to)}: "${step.message}"`;
    case 'escalate':
      return `Escalate task ${step.task} to ${who(step.to)}${step.after === null ? '' : ` after ${step.after.text}`}`;
    case 'update':
      return `Set ${step.trait} to ${String(step.value)}`;
    case 'exit':
      return `End${step.reason === null ? '' : `: ${step.reason}`}`;
  }
}

export function PlaybookSteps({ playbook }: { playbook: Playbook }) {
  const waiting = new Map(playbook.inProgress.byStep.map((step) => [step.stepId, step]));
  const signalWords = useSignalWords();
  const audience = [
    playbook.audience.tiers === null ? null : `tiers ${playbook.audience.tiers.join(', ')}`,
    playbook.audience.lifecycleStages === null ? null : playbook.audience.lifecycleStages.join(', '),
    playbook.audience.consentTo.length === 0 ? null : `who agreed to ${playbook.audience.consentTo.join(' and ')}`,
  ].filter((part) => part !== null);
  return (
    <>
      <p>
        For {audience.length === 0 ? 'every account' : audience.join('; ')}.{' '}
        {playbook.exit.length > 0 &&
          `A run ends early when ${playbook.exit
            .map((exit) => (exit.kind === 'signal-cleared' ? 'the signal clears' : `"${exit.event}" happens`))
            .join(' or ')}.`}
      </p>
      <div className="table-scroll">
        <table>
          <caption>
            Steps, in order, and the runs at each now ({count(playbook.inProgress.treated)} treated,{' '}
            {count(playbook.inProgress.holdout)} held out)
          </caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">What it does</th>
              <th scope="col" className="numeric">
                Runs here (treated / held out)
              </th>
            </tr>
          </thead>
          <tbody>
            {playbook.steps.map((step) => {
              const here = waiting.get(step.id);
              return (
                <tr key={step.id}>
                  <th scope="row">{step.id}</th>
                  <td>{stepWords(step, signalWords.word)}</td>
                  <td className="numeric">
                    {here === undefined ? '0 / 0' : `${count(here.treated)} / ${count(here.holdout)}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
