// Delivery status notifications as real mail servers write them (Postfix, Gmail, Microsoft Exchange), for
// the parser's unit tests and the scenarios that send one to Tend's return path. Each comes whole (`raw`,
// the message as it arrives) and as the two parts the parser reads.

export interface DeliveryReportFixture {
  /** The whole notification, headers and MIME body, with CRLF line ends as on the wire. */
  readonly raw: string;
  /** Its message/delivery-status part. */
  readonly deliveryStatus: string;
  /** The returned message's headers. */
  readonly returnedHeaders: string;
}

export interface BounceOf {
  /** Where the notification is sent: the message's return path (bounce+…@reply domain). */
  readonly returnPath: string;
  /** The address that did not take the message. */
  readonly recipient: string;
  /** The returned message's Message-ID, with angle brackets. */
  readonly messageId: string;
  /** The notification's own Message-ID (a re-sent notification keeps it). */
  readonly reportId?: string;
}

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

function returnedHeadersOf(bounce: BounceOf): string {
  return [
    `Return-Path: <${bounce.returnPath}>`,
    'From: Acme Success <success@acme.example>',
    `To: ${bounce.recipient}`,
    'Subject: We miss you',
    `Message-ID: ${bounce.messageId}`,
    'Date: Mon, 4 May 2026 09:00:00 +0000',
    '',
  ].join('\n');
}

/** Postfix: "Undelivered Mail Returned to Sender", the returned headers as text/rfc822-headers. */
export function postfixBounce(bounce: BounceOf, status = '5.1.1', action = 'failed'): DeliveryReportFixture {
  const boundary = '4F3A21C0123.1777885262/mail.kunde.example';
  const said = status.startsWith('5')
    ? `550 ${status} <${bounce.recipient}>: Recipient address\n    rejected: User unknown in virtual mailbox table`
    : `452 ${status} <${bounce.recipient}>: Mailbox full`;
  const deliveryStatus = [
    'Reporting-MTA: dns; mail.kunde.example',
    'X-Postfix-Queue-ID: 4F3A21C0123',
    `X-Postfix-Sender: rfc822; ${bounce.returnPath}`,
    'Arrival-Date: Mon,  4 May 2026 09:01:01 +0000 (UTC)',
    '',
    `Final-Recipient: rfc822; ${bounce.recipient}`,
    `Original-Recipient: rfc822;${bounce.recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    'Remote-MTA: dns; mx.kunde.example',
    `Diagnostic-Code: smtp; ${said}`,
    '',
  ].join('\n');
  const returnedHeaders = returnedHeadersOf(bounce);
  const raw = [
    'Return-Path: <>',
    'Date: Mon,  4 May 2026 09:01:02 +0000 (UTC)',
    'From: MAILER-DAEMON@mail.kunde.example (Mail Delivery System)',
    action === 'delayed'
      ? 'Subject: Delayed Mail (still being retried)'
      : 'Subject: Undelivered Mail Returned to Sender',
    `To: ${bounce.returnPath}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\n\tboundary="${boundary}"`,
    `Message-Id: ${bounce.reportId ?? '<20260504090102.4F3A21C0123@mail.kunde.example>'}`,
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${boundary}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mail.kunde.example.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    `<${bounce.recipient}>: host mx.kunde.example said: ${said}`,
    '',
    `--${boundary}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    deliveryStatus,
    `--${boundary}`,
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    returnedHeaders,
    `--${boundary}--`,
    '',
  ].join('\n');
  return { raw: crlf(raw), deliveryStatus, returnedHeaders };
}

/** Gmail: "Delivery Status Notification (Failure)", the whole message returned as message/rfc822. */
export function gmailBounce(bounce: BounceOf): DeliveryReportFixture {
  const outer = '000000000000a1b2c3d4e5f60718';
  const related = '000000000000a1b2c3d4e5f60720';
  const deliveryStatus = [
    'Reporting-MTA: dns; googlemail.com',
    'Received-From-MTA: dns; mail.acme.example',
    'Arrival-Date: Mon, 04 May 2026 02:01:02 -0700 (PDT)',
    `X-Original-Message-ID: ${bounce.messageId}`,
    '',
    `Final-Recipient: rfc822; ${bounce.recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; gmail-smtp-in.l.google.com. (142.250.27.26, the server for',
    ' the domain gmail.com.)',
    'Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.',
    ' 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser',
    'Last-Attempt-Date: Mon, 04 May 2026 02:01:03 -0700 (PDT)',
    '',
  ].join('\n');
  const returnedHeaders = returnedHeadersOf(bounce);
  const raw = [
    `Delivered-To: ${bounce.returnPath}`,
    'Return-Path: <>',
    'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    `To: ${bounce.returnPath}`,
    'Auto-Submitted: auto-replied',
    'Subject: Delivery Status Notification (Failure)',
    `References: ${bounce.messageId}`,
    `In-Reply-To: ${bounce.messageId}`,
    `X-Failed-Recipients: ${bounce.recipient}`,
    `Message-ID: ${bounce.reportId ?? '<6817e0cf.050a0220.1a2b3c.0001.GMR@mx.google.com>'}`,
    'Date: Mon, 04 May 2026 02:01:03 -0700 (PDT)',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; boundary="${outer}"; report-type=delivery-status`,
    '',
    `--${outer}`,
    `Content-Type: multipart/related; boundary="${related}"`,
    '',
    `--${related}`,
    'Content-Type: text/plain; charset="UTF-8"',
    '',
    '** Address not found **',
    '',
    `Your message wasn't delivered to ${bounce.recipient} because the address couldn't be found.`,
    '',
    `--${related}--`,
    `--${outer}`,
    'Content-Type: message/delivery-status',
    '',
    deliveryStatus,
    `--${outer}`,
    'Content-Type: message/rfc822',
    '',
    returnedHeaders.replace(/\n$/, ''),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, we miss you.',
    '',
    `--${outer}--`,
    '',
  ].join('\n');
  return { raw: crlf(raw), deliveryStatus, returnedHeaders };
}

/** Microsoft Exchange: a 5.1.10 RecipientNotFound, with Original-Recipient first and no spaces after ";". */
export function exchangeBounce(bounce: BounceOf): DeliveryReportFixture {
  const boundary = 'd7e5c1a2-3b4c-4d5e-9f60-718293a4b5c6';
  const deliveryStatus = [
    'Reporting-MTA: dns;EX01.contoso.example',
    'Received-From-MTA: dns;mail.acme.example',
    'Arrival-Date: Mon, 4 May 2026 09:01:02 +0000',
    '',
    `Original-Recipient: rfc822;${bounce.recipient}`,
    `Final-Recipient: rfc822;${bounce.recipient}`,
    'Action: failed',
    'Status: 5.1.10',
    'Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    '',
  ].join('\n');
  const returnedHeaders = returnedHeadersOf(bounce);
  const raw = [
    'From: postmaster@contoso.example',
    `To: ${bounce.returnPath}`,
    'Date: Mon, 4 May 2026 09:01:03 +0000',
    'Content-Type: multipart/report; report-type=delivery-status;',
    `\tboundary="${boundary}"`,
    'Content-Language: en-US',
    `Message-ID: ${bounce.reportId ?? '<0b4f1e2d-aaaa-bbbb-cccc-ddddeeeeffff@EX01.contoso.example>'}`,
    `In-Reply-To: ${bounce.messageId}`,
    `References: ${bounce.messageId}`,
    'Subject: Undeliverable: We miss you',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset="us-ascii"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    `Your message to ${bounce.recipient} couldn't be delivered.`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    deliveryStatus,
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    returnedHeaders,
    `--${boundary}--`,
    '',
  ].join('\n');
  return { raw: crlf(raw), deliveryStatus, returnedHeaders };
}
