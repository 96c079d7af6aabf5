// Starting the REPL: `fair` with no arguments, or `fair repl FILE.fair`.
//
// Start-up is tuned for the time to the first prompt:
//
//   1. draw the banner and the prompt at once, with plain escape codes,
//      and put the terminal in raw mode: keys typed now wait, unechoed,
//      in the terminal for the editor
//   2. import ink and React, and hand the prompt line over to them; the
//      waiting keys arrive in the editor
//   3. then import the engine (parser, tables, verbs) in the background;
//      printable keys are shown meanwhile, Enter and Tab wait for it
//
// Heavy modules (TensorFlow.js, Vega) are imported by the verbs that need
// them, when a statement runs, never here.
//
// When standard input or output is not a terminal (`fair < script.fair`,
// a pipe) there is nothing to draw: the input runs as a script and the
// results are printed as the REPL shows them.

import type { ReplController } from './controller.js';
import { defaultHistoryFile, History } from './history.js';
import type { Block } from './present.js';

export interface ReplOptions {
  /** A script to run first; the REPL then continues with its state. */
  script?: string;
  /** The folder paths in statements start from. */
  cwd?: string;
  /** Where history is kept; null keeps it in memory only. */
  historyFile?: string | null;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  version?: string;
}

export async function startRepl(options: ReplOptions = {}): Promise<number> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) return runPiped(options, stdin, stdout);

  const name = options.version ? `Fair ${options.version}` : 'Fair';
  const banner = `${name} · :help lists statements and commands · ` +
    'Tab completes · Ctrl-D leaves';
  drawFirstPrompt(stdin, stdout, banner);

  let modules: Awaited<ReturnType<typeof importInteractive>>;
  try {
    modules = await importInteractive();
  } catch (cause) {
    // Give the terminal back as it was before failing.
    stdin.setRawMode?.(false);
    stdout.write('\n');
    throw cause;
  }
  const [{ render }, { createElement }, { App }, { ReplController }] =
    modules;
  const history = new History(options.historyFile === null ? undefined
    : options.historyFile ?? defaultHistoryFile());
  const controller: ReplController = new ReplController({
    loadEngine: async () => {
      const { Engine } = await import('./engine.js');
      return new Engine(options.cwd ? { cwd: options.cwd } : {});
    },
    history,
    ...(options.script ? { script: options.script } : {}),
  });

  // ink draws its prompt where the first one was.
  stdout.write('\r\x1b[2K');
  const instance = render(createElement(App, { controller }), {
    stdin,
    stdout,
    ...(options.stderr ? { stderr: options.stderr } : {}),
    exitOnCtrlC: false,
  });
  // The prompt is drawn; now load the engine behind it.
  void controller.load();
  await instance.waitUntilExit();
  return controller.snapshot().exitCode;
}

/**
 * The banner (kept) and the prompt (redrawn by ink once it has loaded),
 * styled as ink styles them. Raw mode keeps keys typed meanwhile from
 * being echoed by the terminal; nothing reads them until the editor does.
 */
function drawFirstPrompt(
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
  banner: string,
): void {
  stdin.setRawMode?.(true);
  const colour = stdout.hasColors?.() ?? false;
  const style = (code: string, text: string, end: string) =>
    colour ? `\x1b[${code}m${text}\x1b[${end}m` : text;
  stdout.write(style('2', banner, '22') + '\n' +
    style('1', style('34', 'fair> ', '39'), '22') + style('7', ' ', '27'));
}

/**
 * ink decides when it is imported whether it runs in CI, where it draws
 * only a final frame; an interactive terminal needs every frame, so the
 * CI variables are hidden from it while it loads.
 */
async function importInteractive() {
  const saved = { CI: process.env['CI'],
    CONTINUOUS_INTEGRATION: process.env['CONTINUOUS_INTEGRATION'] };
  delete process.env['CI'];
  delete process.env['CONTINUOUS_INTEGRATION'];
  try {
    return await Promise.all([
      import('ink'), import('react'), import('./App.js'),
      import('./controller.js'),
    ]);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value !== undefined) process.env[name] = value;
    }
  }
}

async function runPiped(
  options: ReplOptions,
  stdin: NodeJS.ReadStream,
  stdout: NodeJS.WriteStream,
): Promise<number> {
  const { Engine } = await import('./engine.js');
  const engine = new Engine(options.cwd ? { cwd: options.cwd } : {});
  engine.width = stdout.columns || 80;
  const submit = {
    // A chart is set apart from the text above it, as on the screen.
    emit: (block: Block) => stdout.write(
      (block.tone === 'chart' ? '\n' : '') + block.text + '\n'),
    cancelled: () => false,
  };

  if (options.script) await engine.submit(`:load ${options.script}`, submit);
  const source = await readAll(stdin);
  let ok = true;
  for (const line of commandsAndScript(source)) {
    if (line.startsWith(':')) {
      if (await engine.submit(line, submit) === 'quit') break;
    } else {
      ok = await engine.run(line, '<stdin>', submit) && ok;
    }
  }
  return ok ? 0 : 1;
}

/**
 * Piped input cut into REPL commands (lines starting with `:`) and the
 * statements between them, each stretch run as one script.
 */
function commandsAndScript(source: string): string[] {
  const parts: string[] = [];
  let script: string[] = [];
  for (const line of source.split('\n')) {
    if (line.trimStart().startsWith(':')) {
      if (script.some((l) => l.trim())) parts.push(script.join('\n'));
      script = [];
      parts.push(line.trim());
    } else {
      script.push(line);
    }
  }
  if (script.some((l) => l.trim())) parts.push(script.join('\n'));
  return parts;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
