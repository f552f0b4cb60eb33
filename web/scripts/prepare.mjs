// npm's `prepare` (run by `npm install` in a clone): builds the app into web/dist, so that `npm start`
// serves it with nothing else to run. Without the dev dependencies (`--omit=dev`) there is no Vite to
// build with: say so instead of failing the install; Tend then answers / with how to build the app.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let vite;
try {
  vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  console.log('tend: Vite is not installed (dev dependencies omitted), so the app was not built;');
  console.log('      `npm run web:build` builds it once they are installed.');
  process.exit(0);
}
const built = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], { stdio: 'inherit' });
process.exit(built.status ?? 1);
