// The backup archive: what is written reads back the same, the system's tar reads it too, and an
// archive that is cut short or would write outside its directory is refused.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveProblem, archiveStream, manifestName, readArchive, unpackInto } from './backup-archive.js';

const folder = mkdtempSync(join(tmpdir(), 'tend-archive-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Longer than a ustar name's 100 characters: it needs the prefix field. */
const longDirectory = 'pgdata/base/a-directory-name-long-enough-to-need-the-ustar-prefix/and-some-more-depth-below-it';
const longFile = `${longDirectory}/16384`;

function sampleTree(): string {
  const root = join(folder, 'source');
  mkdirSync(join(root, longDirectory), { recursive: true });
  writeFileSync(join(root, 'pgdata', 'PG_VERSION'), '18\n');
  writeFileSync(join(root, longFile), Buffer.alloc(8192 * 3 + 17, 7));
  writeFileSync(join(root, 'pgdata', 'empty'), '');
  return root;
}

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('backup archive', () => {
  it('reads back every file and directory as written, whatever the chunk sizes, and opens with tar', async () => {
    const root = sampleTree();
    const archive = await buffer(archiveStream({ format: 'test' }, root));
    for (const size of [1, 511, 4096]) {
      const target = join(folder, `unpacked-${size}`);
      mkdirSync(target);
      const names: string[] = [];
      const unpack = unpackInto(target);
      await readArchive(chunks(archive, size), {
        entry: (entry) => {
          names.push(entry.name);
          if (entry.name !== manifestName) unpack.entry(entry);
        },
        content: (bytes) => unpack.content(bytes),
        end: (entry) => unpack.end(entry),
      });
      expect(names[0]).toBe(manifestName);
      expect(names).toContain('pgdata/empty');
      expect(names).toContain(longFile);
      expect(readFileSync(join(target, longFile))).toEqual(readFileSync(join(root, longFile)));
      expect(readFileSync(join(target, 'pgdata', 'PG_VERSION'), 'utf8')).toBe('18\n');
    }
    const listed = spawnSync('tar', ['-t'], { input: archive });
    expect(listed.status).toBe(0);
    expect(listed.stdout.toString()).toContain('and-some-more-depth-below-it/16384');
  });

  it('refuses an archive cut short', async () => {
    const archive = await buffer(archiveStream({ format: 'test' }, sampleTree()));
    const visitor = { entry: () => {}, content: () => {}, end: () => {} };
    const cut = archive.subarray(0, archive.length - 2048);
    await expect(readArchive(chunks(cut, 1000), visitor)).rejects.toThrow(/cut short/);
  });

  it('refuses a path that would leave the directory', async () => {
    const evil = Buffer.alloc(512);
    evil.write('pgdata/../../outside', 0);
    evil.write('0000600\0', 100);
    evil.write('00000000000\0', 124);
    evil.write('        ', 148);
    evil.write('0', 156);
    evil.write('ustar\0', 257);
    evil.write('00', 263);
    let sum = 0;
    for (const byte of evil) sum += byte;
    evil.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    const visitor = { entry: () => {}, content: () => {}, end: () => {} };
    const archive = Buffer.concat([evil, Buffer.alloc(1024)]);
    await expect(readArchive(chunks(archive, 512), visitor)).rejects.toThrow(ArchiveProblem);
    await expect(readArchive(chunks(archive, 512), visitor)).rejects.toThrow(/leave the data directory/);
  });
});
