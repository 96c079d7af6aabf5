// Audits and comparisons as text for a terminal: the sentence, a table
// of groups with rates as percentages, then one line per finding (the
// four-fifths rule, small groups, diversity, missing values, the
// reference distribution). Missing group values show as "(missing)".

import { missingLabel } from '../groups.js';
import type { Result, Row } from '../result.js';
import { defineTextRenderer, formatNumber, type TextOptions }
  from '../render/text.js';
import { fixed, percent } from './result.js';

// 1. A small aligned table: numbers right, words left ------------------------

interface TextColumn {
  title: string;
  right?: boolean;
}

function visible(text: string): number {
  return [...text].length;
}

function layout(
  columns: readonly TextColumn[],
  cells: readonly string[][],
  options: Required<TextOptions>,
): string {
  const shown = cells.slice(0, options.maxRows);
  const widths = columns.map((column, i) => Math.max(visible(column.title),
    ...shown.map((row) => visible(row[i]!))));

  // Keep columns from the left while they fit the terminal.
  const kept: number[] = [];
  let used = 0;
  for (let i = 0; i < columns.length; i++) {
    const need = widths[i]! + (kept.length ? 2 : 0);
    if (used + need > options.width && kept.length) break;
    kept.push(i);
    used += need;
  }

  const pad = (text: string, i: number) => {
    const space = ' '.repeat(Math.max(0, widths[i]! - visible(text)));
    return columns[i]!.right ? space + text : text + space;
  };
  const line = (row: readonly string[]) =>
    kept.map((i) => pad(row[i]!, i)).join('  ').trimEnd();
  const lines = [
    line(columns.map((c) => c.title)),
    kept.map((i) => '─'.repeat(widths[i]!)).join('  '),
    ...shown.map(line),
  ];
  if (cells.length > shown.length) {
    lines.push(`… ${cells.length - shown.length} more rows`);
  }
  const hidden = columns.filter((_, i) => !kept.includes(i));
  if (hidden.length) {
    lines.push(`… not shown for width: ${hidden.map((c) => c.title.trim())
      .join(', ')}`);
  }
  return lines.join('\n');
}

/** Words packed into lines of the width; later lines indented. */
function wrap(text: string, width: number, indent = '  '): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (visible(next) > width && current) {
      lines.push(current);
      current = indent + word;
    } else {
      current = next;
    }
  }
  if (current) lines.push(current);
  return lines.join('\n');
}

// 2. Cells ------------------------------------------------------------------

function groupCell(value: unknown): string {
  if (value === null || value === undefined) return missingLabel;
  return String(value);
}

function countCell(value: unknown): string {
  if (typeof value !== 'number') return '–';
  return Number.isInteger(value) ? value.toLocaleString('en-US')
    : formatNumber(value);
}

function points(value: unknown): string {
  if (typeof value !== 'number') return '–';
  const text = (value * 100).toFixed(1);
  return `${value > 0 && text !== '0.0' ? '+' : ''}${text} pts`;
}

function list(values: unknown): string {
  const items = Array.isArray(values) ? values : [];
  return items.length ? items.map(String).join(', ') : 'none';
}

/** A continued line keeps the indent of its first line, plus two. */
function indentOf(line: string): string {
  return ' '.repeat(line.length - line.trimStart().length + 2);
}

function notesOf(result: Result, width: number): string[] {
  const notes = (result.notes ?? []).map((note) =>
    wrap(`note: ${note}`, width, '      '));
  return notes.length ? [notes.join('\n')] : [];
}

// 3. audit ------------------------------------------------------------------

interface OutcomeJson {
  class: unknown;
  reference_group: string | null;
  reference_rule: string | null;
  lowest_group: string | null;
  highest_group: string | null;
  disparate_impact: number | null;
  parity_difference: number | null;
  four_fifths_failures: string[];
  small_groups: string[];
}

interface MissingJson {
  column: string;
  missing_share: number;
  flagged_group: string;
  flagged_share: number | null;
  gap: number;
}

function auditTable(result: Result, options: Required<TextOptions>): string {
  const by = (result['by'] as string[]) ?? [];
  const rows = result.rows ?? [];
  const columns = result.columns ?? [];
  const has = (name: string) => columns.includes(name);
  const target = has('positive_rate');
  const outcomes = (result['outcomes'] as OutcomeJson[] | undefined) ?? [];
  const reference = (row: Row): boolean => {
    const label = by.map((c) => groupCell(row[c])).join(' × ');
    const outcome = outcomes.find((o) => !has('class') ||
      o.class === row['class']);
    return outcome?.reference_group === label;
  };

  const spec: TextColumn[] = by.map((title) => ({ title }));
  if (has('class')) spec.push({ title: 'class' });
  spec.push({ title: 'n', right: true }, { title: 'share', right: true });
  if (target) {
    spec.push({ title: 'positives', right: true },
      { title: 'rate', right: true }, { title: '95% CI' },
      { title: 'ratio', right: true }, { title: 'diff', right: true },
      { title: 'flag' });
  }

  const cells = rows.map((row) => {
    const cell = by.map((c) => groupCell(row[c]));
    if (has('class')) cell.push(groupCell(row['class']));
    cell.push(countCell(row['n']), percent(row['share'] as number));
    if (target) {
      const isReference = reference(row);
      // Short flags keep two group columns within 80 columns; the lines
      // under the table say the same in words.
      const flag = isReference ? 'ref'
        : row['small'] ? 'small'
          : typeof row['rate_ratio'] === 'number' && row['rate_ratio'] < 0.8
            ? '< 4/5' : '';
      cell.push(countCell(row['positives']),
        percent(row['positive_rate'] as number),
        typeof row['rate_low'] === 'number'
          ? `${((row['rate_low'] as number) * 100).toFixed(1)}–` +
            `${percent(row['rate_high'] as number)}`
          : '–',
        fixed(row['rate_ratio'] as number),
        points(row['rate_difference']),
        flag);
    }
    return cell;
  });

  // The flag column only when some group has a flag.
  const flags = spec.length - 1;
  if (target && cells.every((cell) => cell[flags] === '')) {
    spec.pop();
    for (const cell of cells) cell.pop();
  }
  return layout(spec, cells, options);
}

function outcomeLines(result: Result): string[] {
  const outcomes = (result['outcomes'] as OutcomeJson[] | undefined) ?? [];
  const perClass = outcomes.length > 1 ||
    (result['target'] as { mode?: string } | null)?.mode === 'classes';
  const lines: string[] = [];
  for (const o of outcomes) {
    const prefix = perClass ? `class ${groupCell(o.class)}: ` : '';
    const impact = o.disparate_impact === null
      ? 'disparate impact not given'
      : `disparate impact ${fixed(o.disparate_impact)} ` +
        `(${o.lowest_group} / ${o.highest_group}), parity difference ` +
        `${fixed(o.parity_difference)}`;
    lines.push(`${prefix}reference group ${o.reference_group} ` +
      `(${o.reference_rule}); ${impact}`);
    lines.push(`${perClass ? '  ' : ''}four-fifths rule (the rate read as ` +
      'a favourable outcome), groups below 0.8 of the reference rate: ' +
      list(o.four_fifths_failures));
    if (o.small_groups.length) {
      lines.push(`${perClass ? '  ' : ''}too small to judge (under 30 ` +
        `rows or an interval wider than 0.2): ${list(o.small_groups)}`);
    }
  }
  return lines;
}

function diversityLine(result: Result): string {
  const d = result['diversity'] as Record<string, unknown> | undefined;
  if (!d) return '';
  const imbalance = typeof d['imbalance_ratio'] === 'number'
    ? `${formatNumber(d['imbalance_ratio'])} (${d['largest_group']} / ` +
      `${d['smallest_group']})`
    : 'undefined';
  return `diversity: entropy ${fixed(d['entropy'] as number)} nats, ` +
    `evenness ${fixed(d['evenness'] as number)}, Simpson ` +
    `${fixed(d['simpson'] as number)}, imbalance ratio ${imbalance}`;
}

function missingLines(result: Result): string[] {
  const columns = (result['missingness'] as MissingJson[] | undefined) ?? [];
  if (!columns.length) return ['missing values: none'];
  const shown = columns.slice(0, 5).map((m) =>
    `  ${m.column}: ${percent(m.missing_share)} overall, ` +
    `${percent(m.flagged_share)} in ${m.flagged_group} ` +
    `(gap between groups ${points(m.gap).replace('+', '')})`);
  const more = columns.length - shown.length;
  return ['missing values by group, largest gap first:', ...shown,
    ...(more > 0 ? [`  … ${more} more columns`] : [])];
}

function againstLines(result: Result, options: Required<TextOptions>):
string[] {
  const against = result['against'] as {
    source: string; rows: Row[]; kl_divergence: number | null;
    js_divergence: number; under_represented: string[];
  } | undefined;
  if (!against) return [];
  const table = layout(
    [{ title: 'group' }, { title: 'share', right: true },
      { title: 'reference', right: true }, { title: 'ratio', right: true },
      { title: 'flag' }],
    against.rows.map((row) => [String(row['group']),
      percent(row['share'] as number),
      percent(row['reference_share'] as number),
      fixed(row['representation_ratio'] as number),
      row['under_represented'] ? 'under-represented' : '']),
    options);
  return [
    `against ${against.source}: KL divergence ` +
      `${fixed(against.kl_divergence, 4)}, Jensen-Shannon ` +
      `${fixed(against.js_divergence, 4)}; under-represented (below 0.8 ` +
      `of the reference share): ${list(against.under_represented)}`,
    table,
  ];
}

defineTextRenderer('audit', (result, options) => {
  const parts = [wrap(result.message ?? '', options.width, '')];
  parts.push(auditTable(result, options));
  const findings = [...outcomeLines(result), diversityLine(result),
    ...missingLines(result)];
  parts.push(findings.filter(Boolean)
    .map((line) => wrap(line, options.width, indentOf(line))).join('\n'));
  const [heading, table] = againstLines(result, options);
  if (heading && table) {
    parts.push(`${wrap(heading, options.width)}\n${table}`);
  }
  parts.push(...notesOf(result, options.width));
  return parts.filter(Boolean).join('\n\n');
});

// 4. compare ----------------------------------------------------------------

function arrowCell(a: unknown, b: unknown, show: (v: unknown) => string):
string {
  return `${show(a)} → ${show(b)}`;
}

defineTextRenderer('compare', (result, options) => {
  const by = (result['by'] as string[]) ?? [];
  const columns = result.columns ?? [];
  const target = columns.includes('rate_before');
  const perClass = columns.includes('class');
  const shareOf = (v: unknown) => typeof v === 'number' ? percent(v) : '–';

  const spec: TextColumn[] = [...by.map((title) => ({ title })),
    ...(perClass ? [{ title: 'class' }] : []),
    { title: 'n', right: true }, { title: 'share', right: true },
    { title: 'change', right: true }];
  if (target) {
    spec.push({ title: 'rate', right: true },
      { title: 'change', right: true });
  }

  const cells = (result.rows ?? []).map((row) => {
    const cell = by.map((c) => groupCell(row[c]));
    if (perClass) cell.push(groupCell(row['class']));
    cell.push(arrowCell(row['n_before'], row['n_after'], countCell),
      arrowCell(row['share_before'], row['share_after'], shareOf),
      points(row['share_change']));
    if (target) {
      cell.push(arrowCell(row['rate_before'], row['rate_after'], shareOf),
        points(row['rate_change']));
    }
    return cell;
  });

  const summary = result.summary ?? {};
  const lines: string[] = [];
  if (target) {
    const di = (side: string) => summary[`disparate_impact_${side}`];
    const pd = (side: string) => summary[`parity_difference_${side}`];
    lines.push(`disparate impact ${fixed(di('before') as number)} → ` +
      `${fixed(di('after') as number)}; parity difference ` +
      `${fixed(pd('before') as number)} → ${fixed(pd('after') as number)}`);
    lines.push(`four-fifths rule failures: ` +
      `${list(summary['four_fifths_failures_before'])} → ` +
      `${list(summary['four_fifths_failures_after'])}`);
  }
  // A group in one table only shows "–" on the other side.
  const names = `${String(result['before'])} → ${String(result['after'])}`;
  const parts = [wrap(result.message ?? '', options.width, ''),
    `n, share and rate: ${names}`,
    layout(spec, cells, options)];
  if (lines.length) {
    parts.push(lines.map((line) => wrap(line, options.width)).join('\n'));
  }
  parts.push(...notesOf(result, options.width));
  return parts.filter(Boolean).join('\n\n');
});
