// `tend start`: runs Tend until Ctrl-C, printing where it listens and, on first start, its secrets.
import { startTend } from '../app/tend-service.js';
import { settingsFrom } from '../config/environment.js';

export async function startCommand(options: { port?: string; host?: string }): Promise<void> {
  const began = performance.now();
  const settings = settingsFrom(process.env, options);
  const tend = await startTend({ ...settings, logLevel: settings.logLevel === 'info' ? 'warn' : settings.logLevel });
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  const lines = [
    `Tend is listening on ${tend.url} (started in ${seconds} s)`,
    `  database:    ${tend.store.description}`,
    `  API docs:    ${tend.url}/docs`,
    `  policy:      ${tend.configSource}`,
    `  playbooks:   ${tend.playbooks.playbooks.length} from ${tend.playbooks.folder ?? '(none)'}`,
    ...tend.channelDescription.map((line, index) => `  ${index === 0 ? 'messages:   ' : '            '} ${line}`),
  ];
  const smtp = tend.inboundSmtp;
  if (smtp !== null) {
    const security = smtp.tls ? 'STARTTLS offered' : 'no TLS: set TEND_SMTP_INBOUND_TLS_CERT and _KEY';
    lines.push(`  inbound mail: SMTP on ${smtp.host}:${smtp.port} (${security}); point the reply domain's MX here`);
  }
  if (tend.createdSecrets.writeKey)
    lines.push(`  write key:   ${tend.createdSecrets.writeKey}   (source "default"; shown once, keep it)`);
  else if (settings.writeKey) lines.push('  write key:   the one in TEND_WRITE_KEY');
  else lines.push('  write key:   created on first start; make another with `tend keys create --source NAME`');
  if (tend.createdSecrets.adminToken)
    lines.push(`  admin token: ${tend.createdSecrets.adminToken}   (shown once, keep it)`);
  else
    lines.push(
      `  admin token: ${settings.adminToken ? 'the one in TEND_ADMIN_TOKEN' : 'the one printed at first start'}`,
    );
  const indent = ' '.repeat(15);
  for (const replaced of tend.createdSecrets.replacedAdminTokens ?? []) {
    const prefix = `${replaced.prefix ?? 'no prefix kept'}…`;
    lines.push(`${indent}revoked the token an earlier TEND_ADMIN_TOKEN set (${prefix}): it is refused from now on`);
  }
  const revokedAt = tend.createdSecrets.adminTokenRevokedAt?.toISOString();
  if (revokedAt) lines.push(`${indent}TEND_ADMIN_TOKEN was revoked at ${revokedAt} and is refused: set a new one`);
  const setup = tend.createdSecrets.setupUrl;
  if (setup) lines.push(`  first admin: open ${setup}   (one use, valid 24 h; no admin yet)`);
  if (settings.clock.kind === 'manual')
    lines.push(`  clock:       manual, standing at ${tend.clock.now().toISOString()}`);
  lines.push('Send events with any Segment SDK: host = this URL, write key as above. Ctrl-C stops.');
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing requests in flight, then closing the database…`);
    await tend.close();
    console.log('Tend stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
