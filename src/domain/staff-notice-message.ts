// What a notice to staff says on each channel: an e-mail (plain text and a small HTML body) and a Slack
// Block Kit message, each with the link into the app; a digest as titled lists of lines, each linked.
import type { DigestSection, StaffNoticePayload } from './staff-notices.js';

export interface StaffNoticeWording {
  readonly payload: StaffNoticePayload;
  /** The account's name, when the notice is about one. */
  readonly accountName: string | null;
  /** Where this Tend is reachable, without a trailing slash (TEND_PUBLIC_URL). */
  readonly baseUrl: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Slack's mrkdwn gives &, < and > a meaning of their own. */
const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

function sectionsOf(payload: StaffNoticePayload): readonly DigestSection[] {
  return payload.notice === 'digest' ? payload.sections : [];
}

/** The subject: the title, with the account's name in front when the notice is about one. */
function subjectOf(wording: StaffNoticeWording): string {
  const { payload, accountName } = wording;
  const title = oneLine(payload.title).slice(0, 180);
  return accountName !== null && !title.includes(accountName) ? `${oneLine(accountName)}: ${title}` : title;
}

export function staffNoticeEmail(wording: StaffNoticeWording): { subject: string; text: string; html: string } {
  const { payload, baseUrl } = wording;
  const link = `${baseUrl}${payload.path}`;
  const sections = sectionsOf(payload);
  const text = [
    payload.reason,
    ...sections.flatMap((section) => [
      '',
      section.title,
      ...section.lines.map((line) => `- ${line.text}\n  ${baseUrl}${line.path}`),
    ]),
    '',
    `Open in Tend: ${link}`,
    '',
    'You get this because of your notification settings in Tend:',
    `${baseUrl}/notifications`,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(payload.reason).replace(/\n/g, '<br>')}</p>`,
    ...sections.map(
      (section) =>
        `<h2 style="font-size:16px">${escapeHtml(section.title)}</h2><ul>` +
        section.lines
          .map((line) => `<li><a href="${escapeHtml(`${baseUrl}${line.path}`)}">${escapeHtml(line.text)}</a></li>`)
          .join('') +
        '</ul>',
    ),
    `<p><a href="${escapeHtml(link)}">Open in Tend</a></p>`,
    `<p style="color:#666;font-size:12px">You get this because of your ` +
      `<a href="${escapeHtml(`${baseUrl}/notifications`)}">notification settings</a> in Tend.</p>`,
  ].join('\n');
  return { subject: subjectOf(wording), text, html };
}

/** Slack caps a section's text at 3000 characters, and a message at 50 blocks. */
const sectionLimit = 2900;

export function staffNoticeSlack(wording: StaffNoticeWording): { text: string; blocks: unknown[] } {
  const { payload, accountName, baseUrl } = wording;
  const link = `${baseUrl}${payload.path}`;
  const subject = subjectOf(wording);
  const fields = [
    ...(accountName === null ? [] : [{ type: 'mrkdwn', text: `*Account*\n${escapeSlack(oneLine(accountName))}` }]),
    { type: 'mrkdwn', text: `*Why*\n${escapeSlack(payload.reason).slice(0, 1900)}` },
  ];
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(subject)}*` } },
    { type: 'section', fields },
    ...sectionsOf(payload)
      .slice(0, 40)
      .map((section) => ({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            `*${escapeSlack(section.title)}*`,
            ...section.lines.map((line) => `• <${baseUrl}${line.path}|${escapeSlack(oneLine(line.text))}>`),
          ]
            .join('\n')
            .slice(0, sectionLimit),
        },
      })),
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Tend' }, url: link }],
    },
  ];
  return { text: `${subject}: ${link}`, blocks };
}
