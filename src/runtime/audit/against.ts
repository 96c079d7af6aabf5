// `against`: how the groups' shares compare with a reference distribution
// (a census, the population a model will serve). Per group the
// representation ratio (share / reference share); overall the KL and
// Jensen-Shannon divergences; groups below 0.8 of their reference share
// are under-represented.

import { fail } from '../../lang/diagnostics.js';
import { formatFromPath, type TableFormat } from '../../lang/formats.js';
import type { Span } from '../../lang/span.js';
import {
  auditProblems, splitGroupKey, type AuditAgainst,
} from '../../lang/statements/audit.js';
import { valueLabel } from '../groups.js';
import { readTable } from '../io/files.js';
import { columnNames, columnOf, rowCount } from '../table.js';
import type { AuditFigures } from './audit.js';
import { jsDivergence, klDivergence } from './measures.js';

/** A group below this share of its reference share is under-represented. */
export const underRepresented = 0.8;

export interface ReferenceDistribution {
  /** `inline` or the file's path as written. */
  source: string;
  /** Group labels (values joined by " × ") and raw reference values. */
  entries: { label: string; value: number }[];
}

export interface AgainstRow {
  group: string;
  share: number;
  reference_share: number;
  representation_ratio: number | null;
  under_represented: boolean;
}

export interface AgainstFigures {
  source: string;
  rows: AgainstRow[];
  /** KL(audit shares ‖ reference shares); null when infinite. */
  kl: number | null;
  js: number;
  underRepresented: string[];
  /** Groups with rows but no reference share. */
  unlisted: string[];
  notes: string[];
}

interface Files {
  resolvePath(path: string): string;
  displayPath(path: string): string;
}

/** The reference distribution an `against` clause gives. */
export function readDistribution(
  against: AuditAgainst,
  by: readonly string[],
  files: Files,
): ReferenceDistribution {
  if (against.type === 'inline') {
    return {
      source: 'inline',
      entries: against.entries.map((entry) => ({
        label: splitGroupKey(entry.key).join(' × '),
        value: entry.value as number,
      })),
    };
  }
  return readDistributionFile(against.path, against.pathSpan, by, files);
}

function readDistributionFile(
  path: string,
  span: Span,
  by: readonly string[],
  files: Files,
): ReferenceDistribution {
  const display = files.displayPath(path);
  const format = formatFromPath(path) as TableFormat;
  const { table } = readTable(files.resolvePath(path), display, format);
  const names = columnNames(table);
  for (const column of by) {
    if (!names.includes(column)) {
      fail(auditProblems.againstFileColumn(display, column), span);
    }
  }

  // The share column: "share", else the one number column left.
  const numeric = names.filter((name) => !by.includes(name) &&
    columnOf(table, name) instanceof Float64Array);
  const shareColumn = numeric.includes('share')
    ? 'share'
    : numeric.length === 1 ? numeric[0]! : undefined;
  if (!shareColumn) fail(auditProblems.againstShareColumn(display, numeric),
    span);

  const groupColumns = by.map((name) => columnOf(table, name));
  const shares = columnOf(table, shareColumn) as Float64Array;
  const entries: { label: string; value: number }[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < rowCount(table); row++) {
    const label = groupColumns
      .map((column) => valueLabel(column[row] === undefined ||
        (typeof column[row] === 'number' && Number.isNaN(column[row]))
        ? null : column[row] as string | number | boolean | null))
      .join(' × ');
    const value = shares[row]!;
    if (!(value >= 0) || !Number.isFinite(value)) {
      fail(auditProblems.againstValue(label,
        Number.isNaN(value) ? 'a missing value' : String(value)), span);
    }
    if (seen.has(label)) fail(auditProblems.againstDuplicate(label), span);
    seen.add(label);
    entries.push({ label, value });
  }
  if (!entries.some((entry) => entry.value > 0)) {
    fail(auditProblems.againstEmpty(), span);
  }
  return { source: display, entries };
}

/** The audit's group shares beside the reference distribution's. */
export function compareWithReference(
  figures: AuditFigures,
  distribution: ReferenceDistribution,
): AgainstFigures {
  const notes: string[] = [];
  const total = distribution.entries.reduce((sum, e) => sum + e.value, 0);
  if (Math.abs(total - 1) > 1e-6) {
    notes.push(`the reference values sum to ${round(total)}; each is read ` +
      'as its share of that total');
  }
  const referenceShare = new Map(distribution.entries.map((entry) =>
    [entry.label, entry.value / total] as const));

  // Every group with rows, then reference groups that have none.
  const labels = figures.groups.map((group) => group.label);
  const shareOf = new Map(figures.groups.map((group) =>
    [group.label, group.share] as const));
  for (const entry of distribution.entries) {
    if (!shareOf.has(entry.label)) labels.push(entry.label);
  }

  const rows = labels.map((group): AgainstRow => {
    const share = shareOf.get(group) ?? 0;
    const expected = referenceShare.get(group) ?? 0;
    const ratio = expected > 0 ? share / expected : null;
    return {
      group,
      share,
      reference_share: expected,
      representation_ratio: ratio,
      under_represented: ratio !== null && ratio < underRepresented,
    };
  });

  const unlisted = rows
    .filter((row) => row.share > 0 && !referenceShare.has(row.group))
    .map((row) => row.group);
  if (unlisted.length) {
    notes.push(`the reference gives no share for ${unlisted.join(', ')}; ` +
      'KL divergence is infinite and is not given');
  }
  const p = rows.map((row) => row.share);
  const q = rows.map((row) => row.reference_share);
  return {
    source: distribution.source,
    rows,
    kl: klDivergence(p, q) ?? null,
    js: jsDivergence(p, q),
    underRepresented: rows.filter((row) => row.under_represented)
      .map((row) => row.group),
    unlisted,
    notes,
  };
}

function round(value: number): string {
  return String(Number(value.toPrecision(6)));
}
