// The REPL in a real terminal: tmux (Debian's package) runs `fair` in a
// pseudo-terminal, keys are sent to it and the screen is read back.
//
//   start fair, load HMDA, audit, see the table and its bars, :save the
//   session, leave with Ctrl-D; then `fair run` the saved script and
//   compare its audit with the one on the screen.
//
// `fair` runs from the sources through tsx, so no build is needed. HOME is
// a scratch folder, so the history file is a temporary one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, scratch, tabular } from '../helpers/index.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const width = 160;

/**
 * A tmux server of this test's own, its socket in the scratch folder, so
 * that no other session is touched and nothing is left behind.
 */
function tmux(socket: string, ...args: string[]): string {
  return execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
}

function screen(socket: string): string {
  // -J joins lines the terminal wrapped; -S - includes the scrollback.
  return tmux(socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'fair');
}

async function waitFor(socket: string, text: string): Promise<string> {
  for (let waited = 0; waited < 90_000; waited += 100) {
    const shown = screen(socket);
    if (shown.includes(text)) return shown;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the terminal never showed "${text}"; it showed:\n` +
    screen(socket));
}

const trimLines = (text: string) =>
  text.split('\n').map((line) => line.trimEnd()).join('\n');

test('fair in a terminal: load, audit, :save, leave; fair run agrees',
  { skip: !hasTmux && 'tmux is not installed (Debian package tmux)' },
  async () => {
    const home = scratch();
    const saved = join(home, 'session.fair');
    const socket = join(home, 'tmux.socket');
    const fair = `node --import tsx test/repl/fair-from-source.ts`;
    // The shell reports how fair ended, then waits to be read.
    const command = `cd '${root}' && HOME='${home}' ${fair}; ` +
      'echo "fair exited with $?"; sleep 120';

    tmux(socket, 'new-session', '-d', '-s', 'fair', '-x', String(width),
      '-y', '50', command);
    try {
      await waitFor(socket, 'fair>');
      tmux(socket, 'send-keys', '-t', 'fair',
        `load "${tabular('hmda.csv')}" as loans`, 'Enter');
      await waitFor(socket, 'loans: 2,380 rows × 14 columns');

      tmux(socket, 'send-keys', '-t', 'fair',
        'audit by afam target deny = "yes"', 'Enter');
      const shown = await waitFor(socket, 'positive_rate by afam');
      // Bars are drawn for both groups.
      assert.match(shown, /\nno\s+█+.*\s0\.0926\n/);
      assert.match(shown, /\nyes\s+█+\s+0\.2832\n/);

      tmux(socket, 'send-keys', '-t', 'fair', `:save ${saved}`, 'Enter');
      await waitFor(socket, 'saved 2 statements');
      tmux(socket, 'send-keys', '-t', 'fair', 'C-d');
      const end = await waitFor(socket, 'fair exited with');
      assert.match(end, /fair exited with 0/);

      // The saved script, run by `fair run` at the same width, prints the
      // same audit as the REPL showed.
      const script = readFileSync(saved, 'utf8');
      assert.match(script, /\naudit by afam target deny = "yes"\n$/);
      const run = spawnSync('node', ['--import', 'tsx',
        'test/repl/fair-from-source.ts', 'run', saved,
        '--width', String(width)], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const audit = run.stdout.slice(run.stdout.search(/▸ \d+: audit/))
        .split('\n').slice(1).join('\n').trim();
      assert.match(audit, /disparate impact 0\.327/);
      assert.ok(trimLines(end).includes(trimLines(audit)),
        `the REPL's audit differs from fair run's:\n${audit}\n---\n${end}`);
    } finally {
      spawnSync('tmux', ['-S', socket, 'kill-server']);
    }
  });
