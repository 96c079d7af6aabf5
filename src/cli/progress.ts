// A progress bar on the terminal's error stream, redrawn in place. When
// the stream is not a terminal (a pipe, a CI log) nothing is drawn.

import type { ProgressHandle, ProgressSink } from '../runtime/session.js';

export function terminalProgress(stream: NodeJS.WriteStream): ProgressSink {
  if (!stream.isTTY) return { start: () => ({ update() {}, done() {} }) };

  return {
    start(label: string): ProgressHandle {
      let last = '';
      const draw = (fraction: number, detail?: string) => {
        const width = Math.max(10, Math.min(30, (stream.columns ?? 80) - 50));
        const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
        const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
        const percent = `${Math.round(fraction * 100)}%`.padStart(4);
        const line = `${label} ${bar} ${percent}${detail ? ` ${detail}` : ''}`;
        if (line === last) return;
        last = line;
        stream.write(`\r\x1b[2K${line}`);
      };
      draw(0);
      return {
        update: draw,
        done: () => stream.write('\r\x1b[2K'),
      };
    },
  };
}
