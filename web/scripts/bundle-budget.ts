// A Vite plugin that prints, at build, the JavaScript each page loads first (gzipped) and fails the build
// when the first load of /today passes its budget; it also writes .gz and .br copies for the server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The budget: the first load of /today, JavaScript only, gzipped. */
export const todayBudgetBytes = 300 * 1024;

interface ChunkFacts {
  readonly fileName: string;
  readonly isEntry: boolean;
  readonly facade: string | null;
  readonly imports: readonly string[];
  readonly gzipBytes: number;
}

const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** A chunk and everything it imports statically: what the browser must fetch before it runs. */
function closure(chunks: ReadonlyMap<string, ChunkFacts>, start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [start];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    pending.push(...(chunks.get(name)?.imports ?? []));
  }
  return seen;
}

export function bundleBudget(): Plugin {
  let report: (() => void) | null = null;
  return {
    name: 'tend-bundle-budget',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir;
      if (outDir === undefined) throw new Error('bundle-budget: the build has no output folder');
      const chunks = new Map<string, ChunkFacts>();
      for (const [fileName, output] of Object.entries(bundle)) {
        const source = output.type === 'chunk' ? output.code : output.source;
        const bytes = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        if (/\.(js|css|html|svg)$/.test(fileName)) {
          // Pre-compressed copies: @fastify/static sends them to browsers that accept them.
          writeFileSync(join(outDir, `${fileName}.gz`), gzipSync(bytes, { level: 9 }));
          const brotli = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } };
          writeFileSync(join(outDir, `${fileName}.br`), brotliCompressSync(bytes, brotli));
        }
        if (output.type !== 'chunk') continue;
        chunks.set(fileName, {
          fileName,
          isEntry: output.isEntry,
          facade: output.facadeModuleId,
          imports: output.imports,
          gzipBytes: gzipSync(bytes, { level: 9 }).length,
        });
      }
      const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
      if (entry === undefined) throw new Error('bundle-budget: the build has no entry chunk');
      const entryFiles = closure(chunks, entry.fileName);
      const sum = (files: Iterable<string>) =>
        [...files].reduce((total, name) => total + (chunks.get(name)?.gzipBytes ?? 0), 0);
      const lines = [`JavaScript loaded first, gzipped (the app shell: ${kilobytes(sum(entryFiles))})`];
      let today: number | null = null;
      const pages = [...chunks.values()].filter((chunk) => chunk.facade?.includes('/src/pages/'));
      pages.sort((a, b) => (a.facade ?? '').localeCompare(b.facade ?? ''));
      for (const page of pages) {
        const name = (page.facade ?? '').replace(/^.*\/src\/pages\//, '').replace(/\.tsx?$/, '');
        const total = sum(new Set([...entryFiles, ...closure(chunks, page.fileName)]));
        if (name === 'today') today = total;
        lines.push(`  ${name.padEnd(14)} ${kilobytes(total).padStart(10)}`);
      }
      // Printed after Vite's list of files, as the build's last word.
      report = () => {
        console.log(lines.join('\n'));
        if (today === null) throw new Error('bundle-budget: no chunk for src/pages/today.tsx (is it lazy?)');
        const verdict = today <= todayBudgetBytes ? 'within' : 'OVER';
        const budget = kilobytes(todayBudgetBytes);
        console.log(
          `First load of /today: ${kilobytes(today)} of JavaScript gzipped ` + `(${verdict} the ${budget} budget)`,
        );
        if (today > todayBudgetBytes) throw new Error(`The first load of /today is over the ${budget} budget.`);
      };
    },
    closeBundle() {
      report?.();
    },
  };
}
