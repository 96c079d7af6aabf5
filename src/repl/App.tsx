// The REPL on the screen. What has been shown stays above in ink's
// <Static> (printed once, scrolled by the terminal like any output);
// below it, the live part: the prompt, or a progress bar while a
// statement runs, and completions or a hint.

import { useEffect, useState, useSyncExternalStore } from 'react';
import { Box, Static, Text, useApp, useInput, useStdout } from 'ink';
import type { Candidate } from './candidates.js';
import type { ReplController, TranscriptEntry } from './controller.js';
import type { Progress } from './engine.js';
import type { Block, Tone } from './present.js';
import { Highlighted, Prompt } from './Prompt.js';

export function App({ controller }: { controller: ReplController }) {
  const view = useSyncExternalStore(controller.subscribe, controller.snapshot);
  const { exit } = useApp();
  const width = useWidth();

  useEffect(() => controller.setWidth(width), [controller, width]);
  useEffect(() => {
    if (view.exited) exit();
  }, [view.exited, exit]);
  useInput((input, key) => controller.key(input, key),
    { isActive: !view.exited });

  return (
    <>
      <Static items={view.transcript}>
        {(entry) => <Entry key={entry.id} entry={entry} />}
      </Static>
      {!view.exited && (
        <Box flexDirection="column">
          {view.running
            ? <Running progress={view.progress} width={width} />
            : <Prompt segments={view.segments} cursor={view.editor.cursor} />}
          {view.menu.length > 0 &&
            <Menu candidates={view.menu} width={width} />}
          {view.hint && <Text dimColor>{view.hint}</Text>}
        </Box>
      )}
    </>
  );
}

/** The terminal's width, following resizes. */
function useWidth(): number {
  const { stdout } = useStdout();
  const [width, setWidth] = useState(stdout.columns || 80);
  useEffect(() => {
    const resized = () => setWidth(stdout.columns || 80);
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return width;
}

function Entry({ entry }: { entry: TranscriptEntry }) {
  if (entry.kind === 'input') {
    return (
      <Box flexDirection="column">
        <Highlighted segments={entry.segments} />
        {entry.cancelled && <Text dimColor>^C</Text>}
      </Box>
    );
  }
  return <Output block={entry.block} />;
}

const tones: Record<Tone, { color?: string; dimColor?: boolean }> = {
  plain: {},
  error: { color: 'red' },
  warning: { color: 'yellow' },
  note: { dimColor: true },
  chart: { color: 'cyan' },
};

/** A source line quoted in an error (`  3 | where ...`) keeps its colour. */
const quotedSource = /^\s+\d+ \| /;

function Output({ block }: { block: Block }) {
  if (block.tone === 'error') {
    return (
      <Box flexDirection="column">
        {block.text.split('\n').map((line, i) => (
          <Text key={i} {...(quotedSource.test(line) ? {} : tones.error)}>
            {line}
          </Text>
        ))}
      </Box>
    );
  }
  if (block.tone === 'chart') {
    // A chart is set apart from the text above it.
    return (
      <Box marginTop={1}>
        <Text {...tones.chart}>{block.text}</Text>
      </Box>
    );
  }
  return <Text {...tones[block.tone]}>{block.text}</Text>;
}

function Running({ progress, width }: {
  progress: Progress | undefined;
  width: number;
}) {
  if (!progress) return <Text dimColor>running… (Ctrl-C stops)</Text>;
  const percent = `${Math.round(progress.fraction * 100)}%`.padStart(4);
  const room = Math.max(10, Math.min(40,
    width - progress.label.length - percent.length - 4));
  const filled = Math.round(Math.max(0, Math.min(1, progress.fraction)) * room);
  return (
    <Text>
      {progress.label}{' '}
      <Text color="cyan">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(room - filled)}</Text>
      {' '}{percent}{progress.detail ? ` ${progress.detail}` : ''}
    </Text>
  );
}

/** Completions in columns across the width, at most four lines of them. */
function Menu({ candidates, width }: {
  candidates: readonly Candidate[];
  width: number;
}) {
  const cell = Math.min(width,
    Math.max(...candidates.map((c) => [...c.text].length)) + 2);
  const perLine = Math.max(1, Math.floor(width / cell));
  const shown = candidates.slice(0, perLine * 4);
  const lines: string[] = [];
  for (let i = 0; i < shown.length; i += perLine) {
    lines.push(shown.slice(i, i + perLine)
      .map((c) => c.text.padEnd(cell)).join('').trimEnd());
  }
  const more = candidates.length - shown.length;
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => <Text key={i} color="gray">{line}</Text>)}
      {more > 0 && <Text dimColor>… {more} more</Text>}
    </Box>
  );
}
