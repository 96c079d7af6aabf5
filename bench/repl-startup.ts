// Time from starting `fair` to its first prompt on the screen, beside the
// peer a data scientist would otherwise open: Python's REPL with pandas
// imported. Each program runs in a pseudo-terminal (util-linux `script`),
// and the clock stops when its prompt appears in the terminal's output.
//
//   npm run build && node --import tsx bench/repl-startup.ts [RUNS]
//
// Also timed, to show where the time goes: node starting and doing
// nothing; the REPL's entry alone (dist/repl/start.js), without the
// command-line module in front of it.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// Debian's pandas lives with the system Python, which may not be first on
// PATH.
const python = '/usr/bin/python3';
const runs = Number(process.argv[2] ?? 9);

interface Case {
  name: string;
  command: string;
  /** Text whose appearance means the prompt is drawn. */
  prompt: string;
}

const entry = `import('${root}/dist/repl/start.js')` +
  '.then((m) => m.startRepl()).then((code) => process.exit(code))';

const cases: Case[] = [
  { name: 'node, a bare prompt',
    command: 'node -e "process.stdout.write(\'ready\'); ' +
      'process.stdin.setRawMode(true); process.stdin.on(\'data\', (d) => ' +
      '{ process.stdout.write(d); if (d.includes(4)) process.exit(); })"',
    prompt: 'ready' },
  { name: 'fair (bin/fair.js)', command: 'node bin/fair.js',
    prompt: 'fair>' },
  { name: 'REPL entry alone', command: `node --input-type=module -e "${entry}"`,
    prompt: 'fair>' },
  { name: 'python3 + pandas',
    command: `${python} -q -i -c "import pandas"`,
    prompt: '>>>' },
];

interface Timing {
  /** Until the prompt shows. */
  prompt: number;
  /** Until a key typed at the prompt shows: the editor is live. */
  echo: number;
}

/**
 * Start a program in a pseudo-terminal; when its prompt shows, type a
 * key, and when that key shows, leave with Ctrl-C and Ctrl-D.
 */
function timeToPrompt(item: Case, home: string): Promise<Timing> {
  return new Promise((done, failed) => {
    const started = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home,
      TERM: 'xterm-256color' };
    delete env['CI'];
    // A pseudo-terminal made by `script` has no size until it is given one.
    const sized = `stty cols 100 rows 40; ${item.command}`;
    const child = spawn('script', ['-qfec', sized, '/dev/null'],
      { cwd: root, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let seen = '';
    let prompt: number | undefined;
    let echo: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const now = performance.now() - started;
      if (prompt === undefined && seen.includes(item.prompt)) {
        prompt = now;
        seen = '';
        child.stdin.write('Q');
      } else if (prompt !== undefined && echo === undefined &&
          seen.includes('Q')) {
        echo = now;
        child.stdin.write('\u0003');
        setTimeout(() => child.stdin.write('\u0004'), 50);
      }
    });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', () => {
      clearTimeout(timer);
      if (prompt === undefined || echo === undefined) {
        failed(new Error(`${item.name}: no prompt or echo; output: ${seen}`));
      } else {
        done({ prompt, echo });
      }
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'repl', 'start.js'))) {
    throw new Error('dist/ has no REPL: run "npm run build" first');
  }
  if (spawnSync('script', ['-V']).status !== 0) {
    throw new Error('util-linux "script" is needed for a pseudo-terminal');
  }
  const home = mkdtempSync(join(tmpdir(), 'fair-bench-'));
  const hasPandas = spawnSync(python, ['-c', 'import pandas']).status === 0;

  const times = new Map<string, Timing[]>();
  try {
    // Interleaved, so that a busy moment on the machine hits every case.
    for (let run = 0; run < runs; run++) {
      for (const item of cases) {
        if (item.name.startsWith('python') && !hasPandas) continue;
        const list = times.get(item.name) ?? [];
        list.push(await timeToPrompt(item, home));
        times.set(item.name, list);
      }
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }

  console.log(`milliseconds to the first prompt, and until a key typed ` +
    `there shows; ${runs} runs, ${cpus().length} cores, load average ` +
    `${loadavg()[0]!.toFixed(1)}`);
  const cell = (values: number[]) =>
    `${median(values).toFixed(0).padStart(6)} (best ` +
    `${Math.min(...values).toFixed(0).padStart(5)})`;
  console.log(`  ${''.padEnd(22)} ${'prompt'.padEnd(19)} key shown`);
  for (const [name, list] of times) {
    console.log(`  ${name.padEnd(22)} ${cell(list.map((t) => t.prompt))}` +
      `  ${cell(list.map((t) => t.echo))}`);
  }
  const fair = times.get('fair (bin/fair.js)');
  const pythonTimes = times.get('python3 + pandas');
  if (fair && pythonTimes) {
    const ratio = (pick: (t: Timing) => number) =>
      (median(fair.map(pick)) / median(pythonTimes.map(pick))).toFixed(2);
    console.log(`  fair / python3 + pandas: prompt ${ratio((t) => t.prompt)}` +
      `, key shown ${ratio((t) => t.echo)}`);
  }
}

await main();
