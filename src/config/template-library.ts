// Loads the message templates (YAML files in TEND_TEMPLATES, default ./templates, else the built-in
// ones in examples/templates) once at start: every file's shape, Liquid and MJML are checked, and every
// template a playbook's send step names must exist, so a broken message stops the start, not a send.
import { fileURLToPath } from 'node:url';
import { type FieldProblem, listProblems, TendError } from '../domain/errors.js';
import type { MessageTemplate, MessageTone, MessageVariant } from '../domain/message-template.js';
import type { Playbook } from '../domain/playbooks/playbook-definition.js';
import { definitionFolder, readYamlFiles } from './yaml-folder.js';

export const builtInTemplates = fileURLToPath(new URL('../../examples/templates', import.meta.url));

export interface LoadedTemplates {
  readonly folder: string | null;
  readonly templates: ReadonlyMap<string, MessageTemplate>;
}

/**
 * Renders a template's every variant, to say what keeps it from rendering (null: nothing). The renderer
 * belongs to channels/ (templateProblem), so the start hands it in.
 */
export type TemplateCheck = (template: MessageTemplate) => Promise<string | null>;

const messageTones: readonly MessageTone[] = ['standard', 'empathetic'];

/** `setting`: a folder, or null for ./templates when present, else the built-in ones. */
export async function loadTemplates(
  setting: string | null,
  workingDirectory: string,
  check: TemplateCheck,
): Promise<LoadedTemplates> {
  const folder = definitionFolder(setting, workingDirectory, 'templates', builtInTemplates, 'TEND_TEMPLATES');
  const problems: FieldProblem[] = [];
  const templates = new Map<string, MessageTemplate>();
  for (const { file, parsed } of readYamlFiles(folder, problems)) {
    const template = readTemplate(parsed, file, problems);
    if (template === null) continue;
    if (templates.has(template.key)) {
      problems.push({
        field: `${file}: key`,
        message: `"${template.key}" is already the key of another template; every template needs its own key`,
      });
      continue;
    }
    const problem = await check(template);
    if (problem === null) templates.set(template.key, template);
    else problems.push({ field: file, message: problem });
  }
  if (problems.length > 0) {
    throw new TendError(
      'invalid_configuration',
      `The message templates in ${folder} have ${problems.length} problem(s): ${listProblems(problems)}`,
      problems,
    );
  }
  return { folder, templates };
}

/** Every template named by a playbook's send step must be loaded; all missing ones are named at once. */
export function checkPlaybookTemplates(playbooks: readonly Playbook[], loaded: LoadedTemplates): void {
  const problems: FieldProblem[] = [];
  for (const playbook of playbooks) {
    for (const step of playbook.steps) {
      if (step.kind !== 'send' || loaded.templates.has(step.template)) continue;
      problems.push({
        field: `${playbook.id}: steps.${step.id}.template`,
        message:
          `names "${step.template}", which is not a template in ${loaded.folder ?? 'the template folder'} ` +
          `(known: ${[...loaded.templates.keys()].join(', ') || 'none'})`,
      });
    }
  }
  if (problems.length > 0) {
    throw new TendError(
      'invalid_configuration',
      `Playbooks name message templates that do not exist: ${listProblems(problems)}. ` +
        'Add a template file to TEND_TEMPLATES or fix the name.',
      problems,
    );
  }
}

function readTemplate(value: unknown, file: string, problems: FieldProblem[]): MessageTemplate | null {
  const problem = (path: string, message: string) => {
    problems.push({ field: `${file}: ${path}`, message });
    return null;
  };
  if (!isObject(value)) return problem('(file)', 'must be a mapping with key and variants');
  const key = value.key;
  if (typeof key !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(key))
    return problem('key', 'must be a name in lower-case words joined by hyphens, e.g. we-miss-you');
  if (value.defaultLocale !== undefined && typeof value.defaultLocale !== 'string')
    return problem('defaultLocale', 'must be a language tag such as en');
  if (!isObject(value.variants) || Object.keys(value.variants).length === 0)
    return problem('variants', 'must map at least one locale (en, de, …) to its tones');
  const variants: Record<string, Partial<Record<MessageTone, MessageVariant>>> = {};
  let valid = true;
  for (const [locale, tones] of Object.entries(value.variants)) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) {
      valid = problem(`variants.${locale}`, 'is not a language tag (en, de, pt-BR, …)') ?? false;
      continue;
    }
    if (!isObject(tones) || Object.keys(tones).length === 0) {
      valid =
        problem(
          `variants.${locale}`,
          `must map a tone (${messageTones.join(' or ')}) to a subject and a text or mjml part`,
        ) ?? false;
      continue;
    }
    const written: Partial<Record<MessageTone, MessageVariant>> = {};
    for (const [tone, variant] of Object.entries(tones)) {
      const at = `variants.${locale}.${tone}`;
      if (!messageTones.includes(tone as MessageTone)) {
        valid = problem(at, `is not a tone; allowed: ${messageTones.join(', ')}`) ?? false;
        continue;
      }
      if (
        !isObject(variant) ||
        typeof variant.subject !== 'string' ||
        (variant.text !== undefined && typeof variant.text !== 'string') ||
        (variant.mjml !== undefined && typeof variant.mjml !== 'string')
      ) {
        valid = problem(at, 'must have a subject (text) and a text part, an mjml part, or both') ?? false;
        continue;
      }
      written[tone as MessageTone] = {
        subject: variant.subject,
        ...(typeof variant.text === 'string' ? { text: variant.text } : {}),
        ...(typeof variant.mjml === 'string' ? { mjml: variant.mjml } : {}),
      };
    }
    variants[locale] = written;
  }
  if (!valid) return null;
  return { key, variants, ...(typeof value.defaultLocale === 'string' ? { defaultLocale: value.defaultLocale } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
