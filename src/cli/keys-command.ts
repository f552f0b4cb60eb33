// `tend keys create --source NAME`: a new write key for a source, printed once and stored hashed.
import { openStore } from '../store/database.js';
import { addWriteKey, newSecret } from '../store/secrets.js';
import { storeLocationFrom } from './environment.js';

export async function createKeyCommand(options: { source: string }): Promise<void> {
  const store = await openStore(storeLocationFrom(process.env), { shareRunning: true });
  try {
    const key = newSecret('wk');
    await addWriteKey(store.database, options.source, key);
    console.log(`Write key for source "${options.source}" (shown once; Tend keeps only its hash):\n${key}`);
  } finally {
    await store.close();
  }
}
