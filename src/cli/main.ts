// The `tend` command: one entry point, one sub-command per file.
import { Command } from 'commander';
import { TendError } from '../domain/errors.js';
import { version } from '../engine/tend-service.js';
import { importCommand } from './import-command.js';
import { createKeyCommand } from './keys-command.js';
import { startCommand } from './start-command.js';

const program = new Command();
program.name('tend').description('Tend: keeps every customer relationship warm.').version(version);

program
  .command('start')
  .description('run Tend: the API on PORT (default 3000), on the embedded database unless DATABASE_URL is set')
  .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
  .option('--host <host>', 'address to listen on (default: 0.0.0.0)')
  .action(startCommand);

const keys = program.command('keys').description('write keys for event sources');
keys
  .command('create')
  .description('create a write key for a source (printed once)')
  .requiredOption('--source <name>', 'the source the key belongs to, e.g. web-app')
  .action(createKeyCommand);

program
  .command('import')
  .description('import accounts, contacts or interactions from a CSV file (importing twice changes nothing)')
  .argument('<kind>', 'accounts | contacts | interactions')
  .argument('<file>', 'the CSV file, with a header line')
  .option('--map <column=field...>', 'map a column to a field, e.g. --map "Company=name" "ARR=revenue"')
  .option('--rejected <file>', 'where to write rejected rows (default: FILE.rejected.csv)')
  .action(importCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof TendError) {
    console.error(`tend: ${error.message}`);
    process.exit(error.code === 'invalid_file' ? 2 : 1);
  }
  throw error;
}
