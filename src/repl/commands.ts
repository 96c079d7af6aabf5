// The REPL's own commands, typed with a leading colon. Statements change
// the session; commands only look at it, save it or load a script into it.

import { readFileSync } from 'node:fs';
import { FairError, problems } from '../lang/diagnostics.js';
import { closest } from '../lang/suggest.js';
import { writeFileAtomic } from '../runtime/io/files.js';
import { formatTable, wrap } from '../runtime/render/text.js';
import { count, plural } from '../runtime/result.js';
import { columnNames, rowCount, schemaOf } from '../runtime/table.js';
import { typeLabel } from '../runtime/verbs/data.js';
import type { Engine, SubmitOptions } from './engine.js';
import { helpText } from './help.js';
import { presentDiagnostic, type Block } from './present.js';

type Command = (engine: Engine, argument: string, options: SubmitOptions) =>
  Promise<'quit' | void> | 'quit' | void;

const commands: Record<string, Command> = {
  help: (engine, _argument, { emit }) => {
    emit({ text: helpText(engine.width), tone: 'plain' });
  },
  tables: (engine, _argument, { emit }) => emit(tablesBlock(engine)),
  schema: (engine, argument, { emit }) => emit(schemaBlock(engine, argument)),
  plan: (engine, _argument, { emit }) => emit(planBlock(engine)),
  save: (engine, argument, { emit }) => emit(save(engine, argument)),
  load: (engine, argument, options) => load(engine, argument, options),
  quit: () => 'quit',
};

/** What each command takes, for completion. */
export const commandArguments: Record<string, 'file' | 'table' | 'none'> = {
  help: 'none', tables: 'none', schema: 'table', plan: 'none',
  save: 'file', load: 'file', quit: 'none',
};

/** Other spellings people type out of habit. */
const aliases: Record<string, string> = { q: 'quit', exit: 'quit', h: 'help' };

export async function runCommand(
  engine: Engine,
  line: string,
  options: SubmitOptions,
): Promise<'quit' | void> {
  const match = /^:(\S*)\s*(.*)$/.exec(line);
  const typed = match?.[1] ?? '';
  const argument = (match?.[2] ?? '').trim();
  const name = aliases[typed] ?? typed;
  const command = commands[name];
  if (!command) {
    const guess = closest(typed, Object.keys(commands));
    options.emit({
      text: `unknown command ":${typed}"` +
        (guess ? `; did you mean ":${guess}"?` : '') +
        '\n  = :help lists the commands and statements',
      tone: 'error',
    });
    return;
  }
  return command(engine, argument, options);
}

function note(text: string): Block {
  return { text, tone: 'note' };
}

function failure(text: string): Block {
  return { text, tone: 'error' };
}

// :tables and :schema ------------------------------------------------------

function tablesBlock(engine: Engine): Block {
  const { session } = engine;
  if (!session.tables.size && !session.objects.size) {
    return note('no tables yet; load one: load "data.csv" as name');
  }
  const rows = [...session.tables].map(([name, table]) => ({
    table: name,
    rows: rowCount(table),
    columns: columnNames(table).length,
    current: name === session.current ? 'current' : '',
  }));
  const lines = [formatTable(['table', 'rows', 'columns', 'current'], rows, {
    width: engine.width, maxRows: Infinity, totalRows: rows.length,
  })];
  if (session.objects.size) {
    lines.push('', 'other names: ' + [...session.objects].map(
      ([name, object]) => `${name} (${object.shape})`).join(', '));
  }
  return { text: lines.join('\n'), tone: 'plain' };
}

function schemaBlock(engine: Engine, argument: string): Block {
  const { session } = engine;
  const name = argument.replace(/^`|`$/g, '') || session.current;
  if (!name) return failure(':schema needs a table; no table is loaded yet');

  const table = session.tables.get(name);
  if (!table) {
    const known = [...session.tables.keys()];
    const guess = closest(name, known);
    return failure(`there is no table named "${name}"` + (guess
      ? `; did you mean "${guess}"?`
      : known.length ? `; the tables are ${known.join(', ')}` : ''));
  }

  const rows = [...schemaOf(table)].map(([column, type]) => ({
    column, type: typeLabel(type),
  }));
  const heading = `${name}: ${plural(rowCount(table), 'row')}, ` +
    plural(rows.length, 'column');
  return {
    text: heading + '\n' + formatTable(['column', 'type'], rows, {
      width: engine.width, maxRows: Infinity, totalRows: rows.length,
    }),
    tone: 'plain',
  };
}

// :plan ----------------------------------------------------------------------

function planBlock(engine: Engine): Block {
  const last = engine.lastRun;
  if (!last) return note('nothing has run yet');
  if (!last.outcomes.length) {
    return note(last.diagnostics.length
      ? 'the last input did not run: it had the errors shown above'
      : 'the last input had no statements');
  }

  const lines: string[] = [];
  for (const { step, result, text, milliseconds } of last.outcomes) {
    const flow = [
      step.input ? `reads ${step.input}` : '',
      step.output ? `writes ${step.output}` : '',
    ].filter(Boolean).join(', ');
    lines.push(`line ${step.line}: ${text.split('\n').join(' ')}`);
    lines.push(`  ${step.statement.kind}` + (flow ? `; ${flow}` : '') +
      `; ${formatMilliseconds(milliseconds)}`);
    if (result.message) {
      const wrapped = wrap(result.message, Math.max(20, engine.width - 2));
      lines.push(...wrapped.split('\n').map((line) => `  ${line}`));
    }
  }
  const failed = last.diagnostics.find((d) => d.severity === 'error');
  if (failed) {
    lines.push(`then stopped at line ${failed.span?.line ?? '?'}: ` +
      failed.message);
  }
  return { text: lines.join('\n'), tone: 'plain' };
}

function formatMilliseconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// :save and :load -----------------------------------------------------------

/**
 * The statements that ran, in order, as a script. Statements that failed
 * are not in the session's history, so the script runs as the session
 * did: the same statements from the same seed.
 */
export function sessionScript(engine: Engine): string {
  const header = '# Written by the Fair REPL with :save. ' +
    'Run it with: npx fair run FILE\n';
  return header + engine.session.history.join('\n') + '\n';
}

function save(engine: Engine, argument: string): Block {
  const { session } = engine;
  if (!argument) return failure(':save needs a file name: :save analysis.fair');
  if (!session.history.length) {
    return note('nothing to save yet: no statement has run');
  }

  const path = session.resolvePath(argument);
  const shown = session.displayPath(argument);
  if (session.inputs.has(path)) {
    const entry = problems.saveOverInput(shown);
    return failure(`${entry.message}\n  = ${entry.hints?.join('\n  = ')}`);
  }
  try {
    writeFileAtomic(path, sessionScript(engine), shown);
  } catch (cause) {
    if (cause instanceof FairError) {
      return presentDiagnostic(cause.diagnostic, '', shown);
    }
    throw cause;
  }
  return note(`saved ${plural(session.history.length, 'statement')} to ` +
    `${shown}; run it with: npx fair run ${shown}`);
}

async function load(
  engine: Engine,
  argument: string,
  options: SubmitOptions,
): Promise<void> {
  const { session } = engine;
  if (!argument) {
    options.emit(failure(':load needs a script: :load analysis.fair'));
    return;
  }
  const shown = session.displayPath(argument);
  let source: string;
  try {
    source = readFileSync(session.resolvePath(argument), 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    options.emit(failure(`cannot read ${shown}: ` + (code === 'ENOENT'
      ? 'no such file' : (cause as Error).message)));
    return;
  }
  const lines = source.split('\n').filter((line) => line.trim()).length;
  options.emit(note(`running ${shown} (${count(lines)} lines)`));
  await engine.run(source, shown, options);
}
