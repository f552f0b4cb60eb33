// Decides, once and for good, whether a subject entering a playbook is held out (gets nothing) so that
// the playbook's results can be compared with what happens without it. Same inputs, same answer.

export type RunGroup = 'treated' | 'holdout';

/** FNV-1a over the UTF-8 bytes of the text: a fast, well-known 32-bit hash, stable across runtimes. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8Bytes(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A number in [0, 1) fixed by the playbook id and the subject id: the same subject always draws the
 * same number in one playbook, and independent numbers across playbooks. The playbook's version is
 * deliberately left out, so editing a playbook does not move people between groups.
 */
export function holdoutDraw(playbookId: string, subjectId: string): number {
  // FNV-1a alone mixes its last bytes weakly (ids differing in their last digit land close together);
  // murmur3's finalizer spreads every input bit over the whole word.
  return mix32(fnv1a32(`${playbookId}\u0000${subjectId}`)) / 2 ** 32;
}

/** Which group a subject entering a playbook belongs to, given the playbook's holdout share (0–0.5). */
export function assignGroup(playbookId: string, subjectId: string, holdoutShare: number): RunGroup {
  return holdoutDraw(playbookId, subjectId) < holdoutShare ? 'holdout' : 'treated';
}

/** murmur3's fmix32. */
function mix32(value: number): number {
  let hash = value;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function* utf8Bytes(text: string): Generator<number> {
  for (const character of text) {
    const code = character.codePointAt(0)!;
    if (code < 0x80) {
      yield code;
    } else if (code < 0x800) {
      yield 0xc0 | (code >> 6);
      yield 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      yield 0xe0 | (code >> 12);
      yield 0x80 | ((code >> 6) & 0x3f);
      yield 0x80 | (code & 0x3f);
    } else {
      yield 0xf0 | (code >> 18);
      yield 0x80 | ((code >> 12) & 0x3f);
      yield 0x80 | ((code >> 6) & 0x3f);
      yield 0x80 | (code & 0x3f);
    }
  }
}
