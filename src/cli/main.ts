// The `tend` command: one entry point, one sub-command per file.
import { Command } from 'commander';
import { TendError } from '../domain/errors.js';
import { ModelInputError } from '../domain/models/model-input-error.js';
import { version } from '../app/tend-service.js';
import { importCommand } from './import-command.js';
import { importUsersCommand, registerRelationshipCommands, registerTaskCommand } from './relationship-commands.js';
import { registerKeysCommands } from './keys-command.js';
import { registerTokensCommands } from './tokens-command.js';
import { registerUsersCommands } from './users-command.js';
import { registerModelsCommands } from './models-command.js';
import { startCommand } from './start-command.js';
import { backupCommand, restoreCommand } from './backup-command.js';
import { exportErasuresCommand } from './erasures-command.js';
import { registerDemoCommand } from './demo-command.js';

const program = new Command();
program.name('tend').description('Tend: keeps every customer relationship warm.').version(version);

program
  .command('start')
  .description('run Tend: the API on PORT (default 3000), on the embedded database unless DATABASE_URL is set')
  .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)')
  .option('--host <host>', 'address to listen on (default: 0.0.0.0)')
  .action(startCommand);

registerKeysCommands(program);
registerTokensCommands(program);
registerUsersCommands(program);

program
  .command('import')
  .description(
    'import accounts, contacts, interactions, promises or users from a CSV file (importing twice changes nothing)',
  )
  .argument('<kind>', 'accounts | contacts | interactions | promises | users')
  .argument('<file>', 'the CSV file, with a header line')
  .option('--map <column=field...>', 'map a column to a field, e.g. --map "Company=name" "ARR=revenue"')
  .option('--rejected <file>', 'where to write rejected rows (default: FILE.rejected.csv)')
  .action((kind: string, file: string, options: { map?: string[]; rejected?: string }) =>
    kind === 'users' ? importUsersCommand(file) : importCommand(kind, file, options),
  );

registerRelationshipCommands(program);
registerTaskCommand(program);
registerModelsCommands(program);
registerDemoCommand(program);

program
  .command('backup')
  .description('back up the database to a new FILE while Tend runs (embedded: a gzipped tar; PostgreSQL: pg_dump)')
  .argument('<file>', 'the backup file to create')
  .action(backupCommand);
program
  .command('restore')
  .description('restore a backup FILE into an empty data directory (TEND_DATA_DIR) or empty database (DATABASE_URL)')
  .argument('<file>', 'a file made by tend backup')
  .option('--erasures <list>', 'erase again everyone in this list (from tend erasures export) who is in the backup')
  .action(restoreCommand);
program
  .command('erasures')
  .description('the list of erased people (hashed identities only), to keep beside backups')
  .command('export')
  .description('write the erasure list to FILE; re-apply it with tend restore BACKUP --erasures FILE')
  .argument('<file>', 'the file to write')
  .action(exportErasuresCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof TendError) {
    console.error(`tend: ${error.message}`);
    process.exit(error.code === 'invalid_file' ? 2 : 1);
  }
  if (error instanceof ModelInputError) {
    console.error(`tend: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
