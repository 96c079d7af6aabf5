// A REPL drawn into ink-testing-library's fake terminal (100 columns):
// keys go in through its stdin, frames come out as text.

import { stripVTControlCharacters } from 'node:util';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { App } from '../../src/repl/App.js';
import {
  ReplController, type EngineLike,
} from '../../src/repl/controller.js';
import { Engine } from '../../src/repl/engine.js';
import { defaultHistoryFile, History } from '../../src/repl/history.js';

export const keys = {
  enter: '\r',
  tab: '\t',
  up: '\u001B[A',
  down: '\u001B[B',
  left: '\u001B[D',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
};

export interface Frames {
  controller: ReplController;
  /** The last frame: everything printed so far and the live prompt. */
  frame(): string;
  /** The live part only: what follows the last transcript entry. */
  prompt(): string;
  /** Send keys as a terminal would, one chunk. */
  press(...chunks: string[]): Promise<void>;
  /** Wait until the frame matches; fails with the frame after 20 s. */
  waitFor(pattern: RegExp | string): Promise<string>;
  unmount(): void;
}

export async function startFrames(options: {
  cwd: string;
  engine?: () => Promise<EngineLike>;
  /** A script to run first, as `fair repl FILE` does. */
  script?: string;
}): Promise<Frames> {
  const controller = new ReplController({
    loadEngine: options.engine ??
      (async () => new Engine({ cwd: options.cwd })),
    history: new History(defaultHistoryFile()),
    ...(options.script ? { script: options.script } : {}),
  });
  const app = render(createElement(App, { controller }));
  await controller.load();

  const frame = () => stripVTControlCharacters(app.lastFrame() ?? '');
  const frames: Frames = {
    controller,
    frame,
    prompt: () => {
      const text = frame();
      const at = text.lastIndexOf('fair>');
      return at === -1 ? '' : text.slice(at).trimEnd();
    },
    press: async (...chunks) => {
      for (const chunk of chunks) {
        app.stdin.write(chunk);
        await settle();
      }
    },
    waitFor: async (pattern) => {
      const test = (text: string) => typeof pattern === 'string'
        ? text.includes(pattern) : pattern.test(text);
      for (let waited = 0; waited < 20_000; waited += 20) {
        if (test(frame())) return frame();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`the frame never showed ${pattern}; it was:\n` +
        frame());
    },
    unmount: () => app.unmount(),
  };
  return frames;
}

/** Let ink read the keys and React draw the next frame. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}
