import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { templateProblem } from '../channels/message-templates.js';
import { TendError } from '../domain/errors.js';
import { builtInTemplates, loadTemplates } from './template-library.js';

const folders: string[] = [];

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'tend-templates-'));
  folders.push(folder);
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

async function problemsOf(folder: string): Promise<{ field: string; message: string }[]> {
  const error = await loadTemplates(folder, tmpdir(), templateProblem).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TendError);
  return (error as TendError).problems.map(({ field, message }) => ({ field, message }));
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('loading message templates at start', () => {
  it('loads the built-in templates when no folder is named and none is in the working directory', async () => {
    const loaded = await loadTemplates(null, tmpdir(), templateProblem);
    expect(loaded.folder).toBe(builtInTemplates);
    expect(loaded.templates.has('we-miss-you')).toBe(true);
  });

  it('names every problem at once, file by file: YAML, shape, a repeated key, Liquid', async () => {
    const folder = folderWith({
      'a.yaml': 'key: first\nvariants:\n  en:\n    standard:\n      subject: Hello\n      text: Hi\n',
      'b.yaml': 'key: first\nvariants:\n  en:\n    standard:\n      subject: Again\n      text: Hi\n',
      'c.yaml': 'key: [not, valid',
      'd.yaml': 'key: Not A Key\nvariants: {}\n',
      'e.yaml': 'key: shouting\nvariants:\n  en:\n    standard:\n      subject: "{{ name | shout }}"\n      text: Hi\n',
    });
    const problems = await problemsOf(folder);
    expect(problems.map((problem) => problem.field)).toEqual(['c.yaml', 'b.yaml: key', 'd.yaml: key', 'e.yaml']);
    expect(problems[1]?.message).toMatch(/"first" is already the key of another template/);
    expect(problems[3]?.message).toMatch(/shouting.*shout/);
  });

  it('refuses a folder that does not exist, naming TEND_TEMPLATES', async () => {
    const missing = join(tmpdir(), 'tend-no-such-templates');
    await expect(loadTemplates(missing, tmpdir(), templateProblem)).rejects.toThrow(/TEND_TEMPLATES names/);
  });
});
