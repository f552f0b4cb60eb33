// The embedded database's backup file: a gzipped POSIX tar (ustar) of a manifest and the database's
// directory (`pgdata/…`), written and read as streams so a large database never sits in memory. Being
// a plain tar, it also opens with `tar -xzf` by hand.
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';

const block = 512;
/** The two empty blocks that end a tar archive. */
const endOfArchive = Buffer.alloc(block * 2);

export interface ArchiveEntry {
  /** A relative path with forward slashes. */
  readonly name: string;
  readonly kind: 'file' | 'directory';
  readonly size: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar header; names longer than 100 characters go into the prefix field, split at a slash. */
function header(entry: ArchiveEntry, mode: number, modified: Date): Buffer {
  const buffer = Buffer.alloc(block);
  let name = entry.kind === 'directory' ? `${entry.name}/` : entry.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100 || Buffer.byteLength(prefix) > 155) {
      throw new Error(`a path too long for the archive: ${entry.name}`);
    }
  }
  buffer.write(name, 0, 100);
  buffer.write(octal(mode & 0o7777, 8), 100);
  buffer.write(octal(0, 8), 108);
  buffer.write(octal(0, 8), 116);
  buffer.write(octal(entry.kind === 'file' ? entry.size : 0, 12), 124);
  buffer.write(octal(Math.floor(modified.getTime() / 1000), 12), 136);
  buffer.write('        ', 148);
  buffer.write(entry.kind === 'file' ? '0' : '5', 156);
  buffer.write('ustar\0', 257);
  buffer.write('00', 263);
  buffer.write(prefix, 345, 155);
  let sum = 0;
  for (const byte of buffer) sum += byte;
  buffer.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return buffer;
}

async function* directoryEntries(root: string, under: string): AsyncGenerator<Buffer> {
  for (const name of readdirSync(join(root, under)).sort()) {
    const relative = under === '' ? name : posix.join(under, name);
    const stats = statSync(join(root, relative));
    if (stats.isDirectory()) {
      yield header({ name: relative, kind: 'directory', size: 0 }, stats.mode, stats.mtime);
      yield* directoryEntries(root, relative);
    } else if (stats.isFile()) {
      yield header({ name: relative, kind: 'file', size: stats.size }, stats.mode, stats.mtime);
      let written = 0;
      for await (const chunk of createReadStream(join(root, relative))) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (written !== stats.size) throw new Error(`${relative} changed while it was archived`);
      if (written % block !== 0) yield Buffer.alloc(block - (written % block));
    }
  }
}

/** The archive of `manifest` (as `tend-backup.json`, first) and everything under `root`, uncompressed. */
export function archiveStream(manifest: object, root: string): Readable {
  async function* entries(): AsyncGenerator<Buffer> {
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    yield header({ name: manifestName, kind: 'file', size: text.length }, 0o600, new Date());
    yield text;
    if (text.length % block !== 0) yield Buffer.alloc(block - (text.length % block));
    yield* directoryEntries(root, '');
    yield endOfArchive;
  }
  return Readable.from(entries(), { objectMode: false });
}

export const manifestName = 'tend-backup.json';

/** Why an archive cannot be read: the caller names the file. */
export class ArchiveProblem extends Error {}

function readOctal(buffer: Buffer, offset: number, width: number): number {
  const text = buffer
    .toString('ascii', offset, offset + width)
    .replace(/\0.*$/s, '')
    .trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveProblem('it is not a tar archive (a header field is not a number)');
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function parseHeader(buffer: Buffer): ArchiveEntry {
  let sum = 0;
  for (let index = 0; index < block; index++) sum += index >= 148 && index < 156 ? 32 : buffer[index]!;
  if (sum !== readOctal(buffer, 148, 8)) throw new ArchiveProblem('it is damaged (a header checksum does not match)');
  const name = buffer.toString('utf8', 0, 100).replace(/\0.*$/s, '');
  const prefix = buffer.toString('utf8', 345, 500).replace(/\0.*$/s, '');
  const full = (prefix === '' ? name : `${prefix}/${name}`).replace(/\/$/, '');
  const type = String.fromCharCode(buffer[156]!);
  const kind = type === '0' || type === '\0' ? 'file' : type === '5' ? 'directory' : null;
  if (kind === null) throw new ArchiveProblem(`it holds ${full}, which is neither a file nor a directory`);
  const parts = full.split('/');
  if (full === '' || full.startsWith('/') || parts.some((part) => part === '..' || part === '.' || part === '')) {
    throw new ArchiveProblem(`it holds a path that would leave the data directory: ${JSON.stringify(full)}`);
  }
  return { name: full, kind, size: readOctal(buffer, 124, 12) };
}

/** What a reader of an archive does with its entries, in order: each entry, its content, its end. */
export interface ArchiveVisitor {
  entry(entry: ArchiveEntry): void;
  content(bytes: Buffer): void;
  end(entry: ArchiveEntry): void;
}

/** Reads an uncompressed archive stream to its end marker, handing each entry to the visitor. */
export async function readArchive(source: AsyncIterable<Buffer>, visitor: ArchiveVisitor): Promise<void> {
  let pending: Buffer = Buffer.alloc(0);
  let entry: ArchiveEntry | null = null;
  let remaining = 0;
  let padding = 0;
  for await (const chunk of source) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (entry !== null) {
        const take = Math.min(remaining, pending.length);
        if (take > 0) visitor.content(pending.subarray(0, take));
        pending = pending.subarray(take);
        remaining -= take;
        if (remaining > 0) break;
        visitor.end(entry);
        entry = null;
      }
      const skip = Math.min(padding, pending.length);
      pending = pending.subarray(skip);
      padding -= skip;
      if (padding > 0 || pending.length < block) break;
      const raw = pending.subarray(0, block);
      pending = pending.subarray(block);
      if (raw.every((byte) => byte === 0)) return;
      entry = parseHeader(raw);
      visitor.entry(entry);
      remaining = entry.kind === 'file' ? entry.size : 0;
      padding = (block - (remaining % block)) % block;
    }
  }
  throw new ArchiveProblem('it is cut short (the archive does not end where a complete backup does)');
}

/** A visitor that unpacks files and directories under `target`, owner-only, refusing to overwrite. */
export function unpackInto(target: string): ArchiveVisitor {
  let descriptor: number | null = null;
  return {
    entry: (entry) => {
      if (entry.kind === 'directory') return void mkdirSync(join(target, entry.name), { recursive: true, mode: 0o700 });
      mkdirSync(join(target, posix.dirname(entry.name)), { recursive: true, mode: 0o700 });
      descriptor = openSync(join(target, entry.name), 'wx', 0o600);
    },
    content: (bytes) => {
      if (descriptor !== null) writeSync(descriptor, bytes);
    },
    end: () => {
      if (descriptor !== null) closeSync(descriptor);
      descriptor = null;
    },
  };
}
