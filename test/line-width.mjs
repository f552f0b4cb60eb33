// The formatter's width holds for every line, also where Biome leaves a line alone (comments, string
// and template literals): a line over it fails `npm test`, named with its file and line.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const width = 120;
const folders = ['src', 'web/src', 'bin'];
// Written by a generator (`npm run web:types`), compared byte for byte with its output.
const generated = new Set(['web/src/api/schema.d.ts']);
const source = /\.(ts|tsx|js|mjs|cjs)$/;

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (source.test(entry.name) && !generated.has(path)) yield path;
  }
}

const long = [];
for (const folder of folders) {
  for (const path of files(folder)) {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if ([...line].length > width) long.push(`${path}:${index + 1}: ${[...line].length} characters`);
      });
  }
}
if (long.length > 0) {
  console.log(`${long.length} line(s) over ${width} characters; wrap them (comments, strings, SQL):`);
  for (const line of long) console.log(`  ${line}`);
  process.exit(1);
}
console.log(`line width: every line in ${folders.join(', ')} is at most ${width} characters`);
