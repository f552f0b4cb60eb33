// The first load of /today as a browser fetches it from the built app (web/dist): index.html's entry
// script, its modulepreloads and static imports, and the Today page's chunk with its own static imports;
// each file gzipped (level 9, as the server's .gz copies), against the 300 KB budget.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const todayBudgetBytes = 300 * 1024;

export interface BundleFile {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Why the browser fetches it on the first load of /today. */
  readonly reason: 'entry' | 'modulepreload' | 'static import' | 'today page' | 'static import of the page';
}

export interface BundleFigures {
  readonly files: readonly BundleFile[];
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** The files a module imports statically (`import … from "./x.js"`, `import "./x.js"`, `export … from`). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  const pattern = /(?:\bimport|\bexport)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.\/[^"']+\.js)["']/g;
  for (const match of code.matchAll(pattern)) found.add(match[1]!.slice(2));
  return [...found];
}

/** Reads web/dist (or another built app folder) and adds up what the first load of /today fetches. */
export function todayFirstLoad(dist: string): BundleFigures {
  const indexPath = join(dist, 'index.html');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} is missing: build the app first (npm run web:build)`);
  const html = readFileSync(indexPath, 'utf8');
  const assets = join(dist, 'assets');
  const asAsset = (href: string): string => href.replace(/^\/?assets\//, '');
  const entries = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((match) => asAsset(match[1]!));
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((match) =>
    asAsset(match[1]!),
  );
  if (entries.length === 0) throw new Error(`${indexPath} names no module script`);
  const files = new Map<string, BundleFile['reason']>();
  const visit = (start: string, reason: BundleFile['reason'], importReason: BundleFile['reason']): void => {
    const pending: [string, BundleFile['reason']][] = [[start, reason]];
    while (pending.length > 0) {
      const [file, why] = pending.pop()!;
      if (files.has(file)) continue;
      files.set(file, why);
      const code = readFileSync(join(assets, file), 'utf8');
      for (const imported of staticImports(code)) pending.push([imported, importReason]);
    }
  };
  for (const entry of entries) visit(entry, 'entry', 'static import');
  for (const preload of preloads) visit(preload, 'modulepreload', 'static import');
  const entryCode = entries.map((entry) => readFileSync(join(assets, entry), 'utf8')).join('\n');
  const todayChunk = /["']\.?\/?(?:assets\/)?(today-[\w-]+\.js)["']/.exec(entryCode)?.[1];
  if (todayChunk === undefined) throw new Error('the entry script names no today-*.js chunk (is the Today page lazy?)');
  visit(todayChunk, 'today page', 'static import of the page');
  const list = [...files.entries()].map(([file, reason]) => {
    const bytes = readFileSync(join(assets, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length, reason };
  });
  return {
    files: list,
    bytes: list.reduce((total, file) => total + file.bytes, 0),
    gzipBytes: list.reduce((total, file) => total + file.gzipBytes, 0),
  };
}
