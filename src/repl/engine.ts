// The REPL's engine: the session, and everything that needs the parser —
// highlighting, completion, running statements and commands. This module
// is imported only after the first prompt is on the screen, because the
// parser toolkit and the table engine take a while to load; until then
// the prompt takes keys without colours.

import { error, FairError, type ProblemEntry } from '../lang/diagnostics.js';
import { continues, lex } from '../lang/lexer.js';
import { getParser } from '../lang/parser.js';
import { configureOutput } from '../runtime/verbs/output.js';
import {
  Session, type Outcome, type ProgressHandle, type ProgressSink,
} from '../runtime/session.js';
import { columnNames } from '../runtime/table.js';
import type { Diagnostic } from '../lang/diagnostics.js';
import { runCommand } from './commands.js';
import type { Completion } from './candidates.js';
import { complete } from './completion.js';
import { highlight, type Segment } from './highlight.js';
import { presentDiagnostic, presentResult, type Block } from './present.js';

export interface Progress {
  label: string;
  fraction: number;
  detail?: string;
}

export interface SubmitOptions {
  /** Show a block below what is already on the screen. */
  emit(block: Block): void;
  /** True once Ctrl-C was pressed during this submission. */
  cancelled(): boolean;
}

/** What the last input that ran statements did, for `:plan`. */
export interface LastRun {
  source: string;
  file: string;
  outcomes: Outcome[];
  diagnostics: Diagnostic[];
}

export interface EngineOptions {
  cwd?: string;
  /** The terminal's width; the REPL updates it when the terminal resizes. */
  width?: number;
}

const replProblems = {
  cancelled: (): ProblemEntry => ({
    code: 'cancelled',
    message: 'stopped by Ctrl-C',
    hints: ['the statement made no change; nothing after it ran'],
  }),
};

export class Engine {
  readonly session: Session;
  width: number;
  lastRun?: LastRun;
  /** Told when long work starts, moves on and ends (undefined). */
  onProgress?: (progress: Progress | undefined) => void;
  private cancelled: () => boolean = () => false;

  constructor(options: EngineOptions = {}) {
    this.width = options.width ?? 80;
    this.session = new Session({
      ...(options.cwd ? { cwd: options.cwd } : {}),
      progress: this.progressSink(),
    });
    // A chart asked for with `plot` is written beside the session's files,
    // since a terminal cannot show it; the result names the file.
    configureOutput(this.session, { chartFolder: this.session.cwd });

    // Build the parser and lexer now rather than on the first key.
    getParser();
    highlight('');
  }

  // While typing -------------------------------------------------------------

  highlight(text: string): Segment[] {
    if (text.trimStart().startsWith(':')) {
      return text ? [{ text, style: 'keyword' }] : [];
    }
    const tables = new Set(this.session.tables.keys());
    const current = this.session.current;
    const table = current ? this.session.tables.get(current) : undefined;
    const columns = new Set(table ? columnNames(table) : []);
    return highlight(text, { tables, columns });
  }

  complete(text: string, cursor: number): Completion {
    const session = this.session;
    return complete(text, cursor, {
      tables: [...session.tables.keys()],
      objects: [...session.objects.keys()],
      ...(session.current ? { current: session.current } : {}),
      columnsOf: (name) => {
        const table = session.tables.get(name);
        return table ? columnNames(table) : [];
      },
      cwd: session.cwd,
    });
  }

  /** True when Enter should start a new line instead of running. */
  continues(text: string): boolean {
    if (text.trimStart().startsWith(':')) return false;
    return continues(text);
  }

  // Running ------------------------------------------------------------------

  /** Run typed input: a REPL command or statements. */
  async submit(text: string, options: SubmitOptions): Promise<'quit' | void> {
    if (text.trimStart().startsWith(':')) {
      return runCommand(this, text.trim(), options);
    }
    await this.run(text, 'input', options);
  }

  /** Run source text in the session, showing each result as it comes. */
  async run(source: string, file: string, options: SubmitOptions):
  Promise<boolean> {
    const { emit } = options;
    this.cancelled = options.cancelled;
    const several = lex(source).statements.length > 1;

    const report = await this.session.run(source, {
      file,
      cancelled: options.cancelled,
      onOutcome: (outcome) => {
        if (several) {
          const first = outcome.text.split('\n')[0];
          emit({ text: `▸ ${outcome.step.line}: ${first}`, tone: 'note' });
        }
        for (const block of presentResult(outcome.result, this.width)) {
          emit(block);
        }
      },
    }).finally(() => {
      this.cancelled = () => false;
    });

    this.lastRun = { source, file, outcomes: report.outcomes,
      diagnostics: report.diagnostics };
    for (const diagnostic of report.diagnostics) {
      if (diagnostic.code === 'cancelled') {
        emit({ text: `stopped by Ctrl-C at line ${diagnostic.span?.line ?? 1}` +
          '; that statement made no change and nothing after it ran',
        tone: 'warning' });
      } else {
        emit(presentDiagnostic(diagnostic, source, file));
      }
    }
    if (!report.failed && options.cancelled()) {
      emit({ text: `stopped by Ctrl-C after ${report.outcomes.length} ` +
        `statement${report.outcomes.length === 1 ? '' : 's'}; the rest ` +
        'did not run', tone: 'warning' });
    }
    return !report.failed;
  }

  /**
   * Progress reports go to the screen. A report made after Ctrl-C stops
   * the statement there: long work reports often, so this is where it
   * can be interrupted.
   */
  private progressSink(): ProgressSink {
    return {
      start: (label: string): ProgressHandle => {
        const show = (fraction: number, detail?: string) => {
          if (this.cancelled()) {
            this.onProgress?.(undefined);
            throw new FairError(error(replProblems.cancelled()));
          }
          this.onProgress?.({ label, fraction,
            ...(detail ? { detail } : {}) });
        };
        show(0);
        return {
          update: show,
          done: () => this.onProgress?.(undefined),
        };
      },
    };
  }
}
