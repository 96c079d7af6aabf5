// `:help`: every statement with one example. The statements are the words
// the grammar accepts first; the examples come from grammar.md, so the
// help and the reference cannot drift apart.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getParser } from '../lang/parser.js';
import { keywordOf } from '../lang/tokens.js';
import { truncate, wrap } from '../runtime/render/text.js';

/** The first word of every statement, in the grammar's order. */
export function statementWords(): string[] {
  const words: string[] = [];
  for (const path of getParser().computeContentAssist('statement', [])) {
    const word = keywordOf(path.nextTokenType);
    if (word && !words.includes(word)) words.push(word);
  }
  return words;
}

/**
 * One example per statement word from the reference's text: the first
 * line of a code block that starts with the word, preferring the section
 * whose heading names it.
 */
export function examplesFrom(reference: string, words: readonly string[]):
Map<string, string> {
  const blocks = codeBlocks(reference);
  const examples = new Map<string, string>();
  for (const word of words) {
    const starts = (line: string) =>
      line === word || line.startsWith(`${word} `);
    const own = blocks.find((block) => block.heading === word &&
      block.lines.some(starts));
    const any = own ?? blocks.find((block) => block.lines.some(starts));
    const line = any?.lines.find(starts);
    if (line) examples.set(word, line);
  }
  return examples;
}

interface CodeBlock {
  /** The first word of the nearest heading above, without backticks. */
  heading: string;
  lines: string[];
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  let heading = '';
  let block: CodeBlock | undefined;
  for (const raw of markdown.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('```')) {
      if (block) {
        blocks.push(block);
        block = undefined;
      } else {
        block = { heading, lines: [] };
      }
      continue;
    }
    if (block) {
      block.lines.push(line.trim());
    } else if (/^#{2,4} /.test(line)) {
      heading = line.replace(/^#+ /, '').replace(/`/g, '').split(/\s/)[0]!;
    }
  }
  return blocks;
}

/** grammar.md from the package folder; empty when it is not there. */
export function readReference(): string {
  try {
    const file = fileURLToPath(new URL('../../grammar.md', import.meta.url));
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export const commandHelp: [string, string][] = [
  [':help', 'this list'],
  [':tables', 'the tables in the session, with their sizes'],
  [':schema [NAME]', 'the columns and types of a table (the current one)'],
  [':plan', 'what the last input did: tables read and written, results'],
  [':save FILE', 'the session so far as a .fair script that reproduces it'],
  [':load FILE', 'run a .fair script in this session'],
  [':quit', 'leave the REPL (Ctrl-D does too)'],
];

export function helpText(width = 80): string {
  const words = statementWords();
  const examples = examplesFrom(readReference(), words);
  const pad = Math.max(...words.map((word) => word.length)) + 2;
  const commandPad = Math.max(...commandHelp.map(([name]) => name.length)) + 2;

  const lines = [
    'Statements (one example each; grammar.md describes them all):'];
  for (const word of words) {
    lines.push(truncate(`  ${word.padEnd(pad)}${examples.get(word) ?? word}`,
      width));
  }
  lines.push('', 'Commands:');
  for (const [name, what] of commandHelp) {
    lines.push(`  ${name.padEnd(commandPad)}${what}`);
  }
  lines.push('', wrap('Keys: Tab completes; ↑ and ↓ walk the history; ' +
    'Ctrl-C cancels the input or the running statement; Ctrl-D leaves.',
  width));
  return lines.join('\n');
}
