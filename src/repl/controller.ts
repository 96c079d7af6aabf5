// The REPL's behaviour, apart from how it is drawn: keys in, a view out.
//
//   key ──> queue ──> edit the prompt, walk history, complete (Tab)
//                └──> Enter: a new line if the statement continues,
//                     else run it in the engine; results are appended
//                     to the transcript as they come
//
// Keys typed while a statement runs wait in the queue, as a terminal's
// type-ahead does; Ctrl-C is handled at once. Until the engine has loaded
// (the parser and the table engine load after the first prompt is drawn)
// printable keys are taken and shown plainly; keys that need the engine
// (Enter, Tab) wait for it.

import {
  commonPrefix, completionText, type Candidate, type Completion,
} from './candidates.js';
import {
  atEnd, backspace, deleteForward, deleteToLineEnd, deleteToLineStart,
  deleteWordBefore, emptyEditor, end, home, insert, left, replaceBefore,
  right, verticalMove, type EditorState,
} from './editor.js';
import type { Progress, SubmitOptions } from './engine.js';
import type { Segment } from './highlight.js';
import type { History } from './history.js';
import type { Block } from './present.js';

/** The keys the REPL reacts to, as ink reports them. */
export interface KeyPress {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  return: boolean;
  escape: boolean;
  ctrl: boolean;
  meta: boolean;
  tab: boolean;
  backspace: boolean;
  delete: boolean;
  home?: boolean;
  end?: boolean;
}

/** What the controller needs from the engine (see engine.ts). */
export interface EngineLike {
  width: number;
  onProgress?: (progress: Progress | undefined) => void;
  highlight(text: string): Segment[];
  complete(text: string, cursor: number): Completion;
  continues(text: string): boolean;
  submit(text: string, options: SubmitOptions): Promise<'quit' | void>;
}

export type TranscriptEntry =
  | { id: number; kind: 'input'; segments: Segment[]; cancelled?: boolean }
  | { id: number; kind: 'block'; block: Block };

export interface ReplView {
  /** Everything shown so far, oldest first; only ever appended to. */
  transcript: TranscriptEntry[];
  editor: EditorState;
  /** The prompt's text, highlighted once the engine is there. */
  segments: Segment[];
  running: boolean;
  progress?: Progress;
  /** Completions shown below the prompt after an ambiguous Tab. */
  menu: Candidate[];
  hint?: string;
  ready: boolean;
  exited: boolean;
  /** 1 when the REPL could not start, else 0. */
  exitCode: number;
}

export interface ControllerOptions {
  loadEngine: () => Promise<EngineLike>;
  history: History;
  /** A script to run once the engine is ready (`fair repl FILE`). */
  script?: string;
}

type Listener = () => void;
export type Queued = { input: string; key: KeyPress };

const noKey: KeyPress = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false,
  return: false, escape: false, ctrl: false, meta: false, tab: false,
  backspace: false, delete: false,
};

export class ReplController {
  private state: ReplView;
  private engine?: EngineLike;
  private readonly listeners = new Set<Listener>();
  private readonly queue: Queued[] = [];
  private nextId = 0;
  private cancelRequested = false;
  private historyProblemShown = false;
  private width = 80;

  constructor(private readonly options: ControllerOptions) {
    this.state = {
      transcript: [], editor: emptyEditor, segments: [], running: false,
      menu: [], ready: false, exited: false, exitCode: 0,
    };
  }

  // For the view -------------------------------------------------------------

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly snapshot = (): ReplView => this.state;

  setWidth(width: number): void {
    this.width = width;
    if (this.engine) this.engine.width = width;
  }

  /** Load the engine; then run the start-up script, if any. */
  async load(): Promise<void> {
    let engine: EngineLike;
    try {
      engine = await this.options.loadEngine();
    } catch (cause) {
      this.append({ text: `Fair could not start: ${(cause as Error).stack}`,
        tone: 'error' });
      this.update({ exitCode: 1 });
      this.exit();
      return;
    }
    engine.width = this.width;
    engine.onProgress = (progress) => this.update({
      ...(progress ? { progress } : { progress: undefined }),
    });
    this.engine = engine;
    this.update({ ready: true, segments: engine.highlight(
      this.state.editor.text) });

    if (this.options.script) {
      await this.submit(`:load ${this.options.script}`);
    }
    this.drain();
  }

  // Keys ---------------------------------------------------------------------

  key(input: string, key: Partial<KeyPress> = {}): void {
    const press = { ...noKey, ...key };
    if (this.state.exited) return;
    // Keys pressed while the program was busy reach ink as one string,
    // control keys included ("\u0003\u0004"): take them one by one.
    const presses = !press.ctrl && !press.meta && input.length > 1 &&
      hasControl(input) ? splitKeys(input) : [{ input, key: press }];
    for (const { input: one, key: pressed } of presses) {
      if (pressed.ctrl && one === 'c') {
        // What was typed before it counts first; Ctrl-C acts at once.
        this.drain();
        this.interrupt();
      } else {
        this.queue.push({ input: one, key: pressed });
      }
    }
    this.drain();
  }

  private drain(): void {
    while (this.queue.length && !this.state.running && !this.state.exited) {
      const { input, key } = this.queue[0]!;
      if (!this.engine && needsEngine(input, key)) return;
      this.queue.shift();
      this.handle(input, key);
    }
  }

  private handle(input: string, key: KeyPress): void {
    if (this.state.menu.length || this.state.hint) {
      this.update({ menu: [], hint: undefined });
    }
    const editor = this.state.editor;

    if (key.return) return this.enter();
    if (key.tab) return this.tab();
    if (key.upArrow) return this.walk(-1);
    if (key.downArrow) return this.walk(1);
    if (key.leftArrow) return this.edit(left(editor));
    if (key.rightArrow) return this.edit(right(editor));
    if (key.home) return this.edit(home(editor));
    if (key.end) return this.edit(end(editor));
    // Terminals send the Backspace key as DEL, which ink calls "delete".
    if (key.backspace || key.delete) return this.edit(backspace(editor));
    if (key.escape) return;

    if (key.ctrl) {
      switch (input) {
        case 'd':
          if (!editor.text) return this.exit();
          return this.edit(deleteForward(editor));
        case 'a': return this.edit(home(editor));
        case 'e': return this.edit(end(editor));
        case 'u': return this.edit(deleteToLineStart(editor));
        case 'k': return this.edit(deleteToLineEnd(editor));
        case 'w': return this.edit(deleteWordBefore(editor));
        default: return;
      }
    }
    if (key.meta) return;
    this.typed(input);
  }

  /**
   * Printable text: one key, or a whole paste. A line end in a paste acts
   * as Enter; what follows it waits until that input has run.
   */
  private typed(input: string): void {
    const newline = input.search(/\r\n|\r|\n/);
    if (newline === -1) {
      this.edit(insert(this.state.editor, printable(input)));
      return;
    }
    const size = input.startsWith('\r\n', newline) ? 2 : 1;
    const rest = input.slice(newline + size);
    if (rest) this.queue.unshift({ input: rest, key: noKey });
    if (newline > 0) {
      this.edit(insert(this.state.editor, printable(input.slice(0, newline))));
    }
    this.enter();
  }

  private edit(editor: EditorState): void {
    this.update({ editor, segments: this.segmentsOf(editor.text) });
  }

  private segmentsOf(text: string): Segment[] {
    if (this.engine) return this.engine.highlight(text);
    return text ? [{ text, style: 'plain' }] : [];
  }

  private walk(direction: -1 | 1): void {
    const editor = this.state.editor;
    const moved = verticalMove(editor, direction);
    if (moved) return this.edit(moved);
    const history = this.options.history;
    const recalled = direction < 0
      ? history.previous(editor.text)
      : history.next();
    if (recalled !== undefined) this.edit(atEnd(recalled));
  }

  private tab(): void {
    const engine = this.engine!;
    const editor = this.state.editor;
    const completion = engine.complete(editor.text, editor.cursor);
    const { candidates, from, typed } = completion;
    if (!candidates.length) return;

    if (candidates.length === 1) {
      const chosen = completionText(candidates[0]!);
      return this.edit(replaceBefore(editor, from, chosen));
    }
    const prefix = commonPrefix(candidates);
    if (prefix.length > typed.length) {
      return this.edit(replaceBefore(editor, from, prefix));
    }
    this.update({ menu: candidates });
  }

  private enter(): void {
    const { text } = this.state.editor;
    if (text.trim() && this.engine!.continues(text)) {
      this.edit(insert(this.state.editor, '\n'));
      return;
    }
    if (!text.trim()) {
      this.echo(text);
      this.edit(emptyEditor);
      return;
    }
    void this.submit(text);
  }

  // Running ------------------------------------------------------------------

  private async submit(text: string): Promise<void> {
    const engine = this.engine!;
    this.options.history.add(text);
    this.echo(text);
    this.cancelRequested = false;
    this.update({ editor: emptyEditor, segments: [], running: true });

    let outcome: 'quit' | void = undefined;
    try {
      outcome = await engine.submit(text, {
        emit: (block) => this.append(block),
        cancelled: () => this.cancelRequested,
      });
    } catch (cause) {
      // A fault in Fair itself: show it and keep the session going.
      this.append({ text: `Fair failed: ${(cause as Error).stack}`,
        tone: 'error' });
    }

    const problem = this.options.history.problem;
    if (problem && !this.historyProblemShown) {
      this.historyProblemShown = true;
      this.append({ text: problem, tone: 'warning' });
    }
    this.update({ running: false, progress: undefined, hint: undefined });
    if (outcome === 'quit') return this.exit();
    this.drain();
  }

  /** Ctrl-C: stop what runs, else drop the input, else say how to leave. */
  private interrupt(): void {
    this.queue.length = 0;
    if (this.state.running) {
      this.cancelRequested = true;
      this.update({ hint: 'stopping… (the running statement stops at its ' +
        'next progress report; nothing after it runs)' });
      return;
    }
    const { text } = this.state.editor;
    if (text) {
      this.echo(text, true);
      this.update({ editor: emptyEditor, segments: [], menu: [],
        hint: undefined });
      return;
    }
    this.update({ menu: [], hint: 'press Ctrl-D or type :quit to leave' });
  }

  private exit(): void {
    this.update({ exited: true, menu: [], hint: undefined });
  }

  // State --------------------------------------------------------------------

  private echo(text: string, cancelled = false): void {
    const segments = this.segmentsOf(text);
    this.pushEntry({ id: this.nextId++, kind: 'input', segments,
      ...(cancelled ? { cancelled } : {}) });
  }

  private append(block: Block): void {
    this.pushEntry({ id: this.nextId++, kind: 'block', block });
  }

  private pushEntry(entry: TranscriptEntry): void {
    this.update({ transcript: [...this.state.transcript, entry] });
  }

  private update(change: Partial<ReplView>): void {
    this.state = { ...this.state, ...change };
    if ('hint' in change && change.hint === undefined) delete this.state.hint;
    if ('progress' in change && change.progress === undefined) {
      delete this.state.progress;
    }
    for (const listener of this.listeners) listener();
  }
}

// eslint-disable-next-line no-control-regex
const control = /[\x00-\x09\x0b-\x0c\x0e-\x1f\x7f]/;

function hasControl(input: string): boolean {
  return control.test(input);
}

/**
 * A string of several keys as the presses they were: runs of text stay
 * together (a paste), each control character is a key of its own.
 */
export function splitKeys(input: string): Queued[] {
  const presses: Queued[] = [];
  let text = '';
  const flush = () => {
    if (text) presses.push({ input: text, key: noKey });
    text = '';
  };
  for (const char of input) {
    if (!control.test(char)) {
      text += char;
      continue;
    }
    flush();
    const code = char.charCodeAt(0);
    if (code === 0x7f || code === 0x08) {
      presses.push({ input: '', key: { ...noKey, backspace: true } });
    } else if (code === 0x09) {
      presses.push({ input: '', key: { ...noKey, tab: true } });
    } else if (code >= 1 && code <= 26) {
      presses.push({ input: String.fromCharCode(code + 96),
        key: { ...noKey, ctrl: true } });
    }
  }
  flush();
  return presses;
}

function needsEngine(input: string, key: KeyPress): boolean {
  return key.return || key.tab || /[\r\n]/.test(input);
}

/** Tabs in pasted text become spaces; other control characters go. */
function printable(input: string): string {
  // eslint-disable-next-line no-control-regex
  return input.replace(/\t/g, '  ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
