// Progress of long work (training, reading a large file) as one output
// that is redrawn in place: the first report creates it, later reports
// replace it (Jupyter's update_display_data, as tslab's newDisplay does).
//
// Redraws are limited to a few a second: each is a message through the
// kernel, and a front end that gets hundreds of them falls behind. The
// last state is always drawn, and it is the one the notebook keeps, so
// it holds no timings: the same run saves the same notebook.

import type { ProgressHandle } from '../runtime/session.js';
import { newDisplayId, type Channel, type MimeBundle } from './channel.js';
import { escapeHtml } from './html.js';

/** Least time between two redraws of one progress output. */
const redrawMilliseconds = 150;

const barWidth = 24;

/** Where work stands: going (a percentage), done, or stopped part-way. */
export type ProgressState = 'going' | 'done' | 'stopped';

/** A progress output that can also say the work was stopped. */
export interface NotebookProgressHandle extends ProgressHandle {
  stop(): void;
}

export function progressBundle(
  label: string,
  fraction: number,
  detail: string | undefined,
  state: ProgressState,
): MimeBundle {
  const clamped = Math.max(0, Math.min(1, state === 'done' ? 1 : fraction));
  const percent = `${Math.round(clamped * 100)}%`;
  const filled = Math.round(clamped * barWidth);
  const bar = '█'.repeat(filled) + '░'.repeat(barWidth - filled);
  const tail = detail ? ` (${detail})` : '';
  const words = state === 'going' ? percent
    : state === 'done' ? 'done' : `stopped at ${percent}`;

  return {
    'text/plain': `${label} ${bar} ${words}${tail}`,
    'text/html': '<div class="fair-progress">' +
      `<progress value="${clamped.toFixed(3)}" max="1" ` +
      'style="width: 16em; vertical-align: middle"></progress> ' +
      // The words carry it all: a saved notebook opened untrusted may
      // lose the <progress> element to Jupyter's HTML sanitizer.
      `${escapeHtml(label)}: ${escapeHtml(words)}${escapeHtml(tail)}</div>`,
  };
}

export function notebookProgress(
  channel: Channel,
  now: () => number = () => performance.now(),
): { start(label: string): NotebookProgressHandle } {
  return {
    start(label: string): NotebookProgressHandle {
      const id = newDisplayId();
      let fraction = 0;
      let detail: string | undefined;
      let drawn = now();
      let finished = false;
      channel.display(progressBundle(label, 0, undefined, 'going'), id);

      const finish = (state: ProgressState) => {
        if (finished) return;
        finished = true;
        channel.update(progressBundle(label, fraction, detail, state), id);
      };
      return {
        update(next: number, nextDetail?: string) {
          if (finished) return;
          fraction = next;
          detail = nextDetail;
          if (now() - drawn < redrawMilliseconds) return;
          drawn = now();
          channel.update(progressBundle(label, fraction, detail, 'going'),
            id);
        },
        done: () => finish('done'),
        stop: () => finish('stopped'),
      };
    },
  };
}
