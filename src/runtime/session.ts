// The session: the one engine behind the command line, the REPL and
// notebooks. It holds the tables, the named results and the random
// generator, and runs source text in four steps:
//
//   1. parse     text -> statements, every syntax error collected
//   2. check     statements -> plan, every meaning error collected,
//                against the tables the session already has
//   3. stop      if anything in 1 or 2 is an error, nothing runs
//   4. execute   each step in order: check again against the real data
//                (a file's columns may differ from its first rows), run
//                it, and record what it produced
//
// No face has logic of its own beyond showing what `run` reports.

import { isAbsolute, normalize, relative, resolve } from 'node:path';
import type { Statement } from '../lang/ast.js';
import {
  checkStatement, checkStatements, declareUnparsed, emptyEnvironment,
  forkEnvironment, type Environment, type ObjectFacts, type Step,
} from '../lang/check.js';
import { error, FairError, type Diagnostic } from '../lang/diagnostics.js';
import { parse } from '../lang/parser.js';
import { LocalFiles } from './io/files.js';
import { defaultSeed, Random } from './random.js';
import type { Result } from './result.js';
import { schemaOf, type Table } from './table.js';
import { executorFor } from './verbs/index.js';

export interface ProgressHandle {
  /** How far along, from 0 to 1, with an optional word on what is done. */
  update(fraction: number, detail?: string): void;
  done(): void;
}

export interface ProgressSink {
  start(label: string): ProgressHandle;
}

const silentProgress: ProgressSink = {
  start: () => ({ update() {}, done() {} }),
};

export interface SessionOptions {
  /** The folder relative paths start from; the process's by default. */
  cwd?: string;
  progress?: ProgressSink;
}

/** A named thing that is not a table: a model, thresholds, a result. */
export interface NamedObject extends ObjectFacts {
  value: unknown;
}

export interface Outcome {
  step: Step;
  result: Result;
  /** The statement's source text. */
  text: string;
  milliseconds: number;
}

export interface RunOptions {
  /** The file name shown in messages. */
  file?: string;
  /** Called as each statement finishes, before the next starts. */
  onOutcome?: (outcome: Outcome) => void;
  /** Called before each statement starts. */
  onStart?: (step: Step) => void;
  /** Stop between statements when this says so (Ctrl-C in the REPL). */
  cancelled?: () => boolean;
}

export interface RunReport {
  outcomes: Outcome[];
  diagnostics: Diagnostic[];
  /** True when an error stopped the run (or kept it from starting). */
  failed: boolean;
}

export interface CheckReport {
  statements: Statement[];
  steps: Step[];
  diagnostics: Diagnostic[];
}

export class Session {
  readonly tables = new Map<string, Table>();
  readonly objects = new Map<string, NamedObject>();
  readonly cwd: string;
  readonly files: LocalFiles;
  progress: ProgressSink;
  random: Random;
  /** Statements that ran without error, as source text, in order. */
  readonly history: string[] = [];
  /** Every statement run so far, with its result (for reports). */
  readonly outcomes: Outcome[] = [];
  /**
   * Results kept for later statements (plot, report, compare): under the
   * name given with `as`, and under their kind for the latest of each.
   */
  readonly results = new Map<string, Result>();
  /**
   * The sensitive columns of each table: declared with `sensitive`, or
   * else the `by` columns of the table's latest audit. Repairs report what
   * they did to each of these groups.
   */
  readonly sensitive = new Map<string, string[]>();
  private env: Environment;

  constructor(options: SessionOptions = {}) {
    this.cwd = options.cwd ?? process.cwd();
    this.files = new LocalFiles(this.cwd);
    this.progress = options.progress ?? silentProgress;
    this.random = new Random(defaultSeed);
    this.env = emptyEnvironment(this.files);
  }

  get seed(): number {
    return this.random.seed;
  }

  setSeed(seed: number): void {
    this.random = new Random(seed);
  }

  /** The table later statements work on, if any. */
  get current(): string | undefined {
    return this.env.current;
  }

  /** Files read so far; Fair never writes over them. */
  get inputs(): ReadonlySet<string> {
    return this.env.inputs;
  }

  /** Check source text against this session without running it. */
  check(source: string): CheckReport {
    const parsed = parse(source);
    const env = forkEnvironment(this.env);
    declareUnparsed(parsed.unparsedNames, env);
    const checked = checkStatements(parsed.program.statements, env);
    const diagnostics = [...parsed.diagnostics, ...checked.diagnostics]
      .sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0));
    return {
      statements: parsed.program.statements,
      steps: checked.steps,
      diagnostics,
    };
  }

  async run(source: string, options: RunOptions = {}): Promise<RunReport> {
    const checked = this.check(source);
    const warnings = checked.diagnostics.filter((d) => d.severity !== 'error');
    if (checked.diagnostics.some((d) => d.severity === 'error')) {
      return { outcomes: [], diagnostics: checked.diagnostics, failed: true };
    }

    const outcomes: Outcome[] = [];
    for (const statement of checked.statements) {
      if (options.cancelled?.()) break;
      const text = source.slice(statement.span.start, statement.span.end);
      const ran = await this.execute(statement, text, options);
      if ('diagnostics' in ran) {
        return {
          outcomes,
          diagnostics: [...warnings, ...ran.diagnostics],
          failed: true,
        };
      }
      outcomes.push(ran);
      options.onOutcome?.(ran);
    }
    return { outcomes, diagnostics: warnings, failed: false };
  }

  /** Check one statement against the real tables, then run it. */
  private async execute(
    statement: Statement,
    text: string,
    options: RunOptions,
  ): Promise<Outcome | { diagnostics: Diagnostic[] }> {
    const env = forkEnvironment(this.env);
    const { step, diagnostics } = checkStatement(statement, env);
    if (diagnostics.some((d) => d.severity === 'error')) {
      return { diagnostics };
    }

    options.onStart?.(step);
    const started = performance.now();
    let result: Result;
    try {
      result = await executorFor(statement.kind)({ session: this, step,
        statement });
    } catch (cause) {
      return { diagnostics: [toDiagnostic(cause, statement)] };
    }

    // The plan's guess at the output's columns gives way to the real ones.
    if (step.output && this.tables.has(step.output)) {
      const facts = env.tables.get(step.output) ?? {};
      env.tables.set(step.output, {
        ...facts,
        schema: schemaOf(this.tables.get(step.output)!),
      });
    }
    for (const [name, object] of this.objects) {
      env.objects.set(name, { shape: object.shape,
        ...(object.facts ? { facts: object.facts } : {}) });
    }
    this.env = env;
    this.history.push(text);
    this.results.set(result.kind, result);
    if (statement.output) this.results.set(statement.output.name, result);

    const outcome = {
      step,
      result,
      text,
      milliseconds: performance.now() - started,
    };
    this.outcomes.push(outcome);
    return outcome;
  }

  // For executors ---------------------------------------------------------------

  /** A table by name; the checker has made sure it exists. */
  table(name: string): Table {
    const table = this.tables.get(name);
    if (!table) throw new Error(`table "${name}" is not in the session`);
    return table;
  }

  /**
   * Store a table under a name. Which table is current was settled by the
   * checker when it planned the statement.
   */
  setTable(name: string, table: Table): void {
    this.tables.set(name, table);
  }

  setObject(name: string, object: NamedObject): void {
    this.objects.set(name, object);
  }

  /** An absolute path for a path written in a script. */
  resolvePath(path: string): string {
    return resolve(this.cwd, path);
  }

  /**
   * A path as people should read it: a relative path as it was written
   * (tidied), an absolute one relative to the folder when it lies inside.
   */
  displayPath(path: string): string {
    if (!isAbsolute(path)) return normalize(path);
    const rel = relative(this.cwd, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  }
}

export interface ExecutionContext<S extends Statement = Statement> {
  session: Session;
  step: Step;
  statement: S;
}

function toDiagnostic(cause: unknown, statement: Statement): Diagnostic {
  if (cause instanceof FairError) {
    const diagnostic = cause.diagnostic;
    return diagnostic.span ? diagnostic : { ...diagnostic, span: statement.span };
  }
  const failure = cause as Error;
  return error({
    code: 'internal-error',
    message: `Fair failed inside "${statement.kind}": ${failure.message}`,
    hints: ['this is a fault in Fair, not in your script; please report ' +
      'it with the script and data that caused it'],
  }, statement.span);
}
