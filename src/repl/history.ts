// What was typed at the prompt, kept between sessions in a file in the
// user's home folder (~/.fair_history), and walked with the arrow keys.
//
// File format: one entry per line. A statement typed over several lines
// keeps its later lines on lines that start with a tab; entries are
// trimmed, so a first line never starts with one.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const limit = 1000;

export function defaultHistoryFile(): string {
  return join(homedir(), '.fair_history');
}

export function encodeEntry(entry: string): string {
  return entry.split('\n').join('\n\t');
}

export function decodeEntries(text: string): string[] {
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('\t') && entries.length) {
      entries[entries.length - 1] += '\n' + line.slice(1);
    } else if (line.trim()) {
      entries.push(line);
    }
  }
  return entries;
}

export class History {
  readonly entries: string[];
  /** Where the arrow keys are: entries.length means "the new line". */
  private position: number;
  /** What was being typed before walking back, restored at the end. */
  private draft = '';
  /** Why the file could not be written, once; the REPL shows it. */
  problem?: string;

  /** `file` undefined keeps history in memory only. */
  constructor(private readonly file?: string) {
    this.entries = file ? readEntries(file) : [];
    this.position = this.entries.length;
    // Keep the file short: rewrite it when it has grown past the limit.
    if (file && this.entries.length > limit) {
      this.entries.splice(0, this.entries.length - limit);
      this.position = this.entries.length;
      this.write(() => writeFileSync(file,
        this.entries.map(encodeEntry).join('\n') + '\n'));
    }
  }

  /** Record a submitted entry; the same entry twice in a row is kept once. */
  add(entry: string): void {
    const text = entry.trim();
    this.position = this.entries.length;
    this.draft = '';
    if (!text || this.entries[this.entries.length - 1] === text) return;
    this.entries.push(text);
    this.position = this.entries.length;
    const file = this.file;
    if (file) this.write(() => appendFileSync(file, encodeEntry(text) + '\n'));
  }

  /** The entry before the current one, or undefined at the oldest. */
  previous(current: string): string | undefined {
    if (this.position === 0) return undefined;
    if (this.position === this.entries.length) this.draft = current;
    this.position--;
    return this.entries[this.position];
  }

  /** The entry after the current one; the draft after the newest. */
  next(): string | undefined {
    if (this.position >= this.entries.length) return undefined;
    this.position++;
    return this.position === this.entries.length
      ? this.draft
      : this.entries[this.position];
  }

  /** Forget where the arrow keys were (after an edit or a submit). */
  reset(): void {
    this.position = this.entries.length;
  }

  // A history file that cannot be written (a read-only home folder) must
  // not stop the REPL: history is then kept in memory, and said so.
  private write(write: () => void): void {
    if (this.problem) return;
    try {
      write();
    } catch (cause) {
      this.problem = `history is not saved: cannot write ${this.file} ` +
        `(${(cause as Error).message})`;
    }
  }
}

function readEntries(file: string): string[] {
  try {
    return decodeEntries(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
