// Which columns of a table are sensitive: declared with `sensitive`, or
// else the `by` columns of the latest audit of that table. Every repair
// reports its effect on the groups of these columns.
//
// `session.sensitive` holds the columns; the audit family may write its
// groups there too. To tell the reader where the columns came from, this
// module remembers the entries it wrote (by identity) with their source.

import type { Session } from '../session.js';
import { columnNames } from '../table.js';

export type SensitiveSource = 'declared' | 'audit';

export interface SensitiveColumns {
  columns: string[];
  source: SensitiveSource;
}

const written = new WeakMap<Session,
  Map<string, { columns: string[]; source: SensitiveSource }>>();

function remember(
  session: Session,
  table: string,
  columns: string[],
  source: SensitiveSource,
): void {
  const ours = written.get(session) ?? new Map();
  written.set(session, ours);
  session.sensitive.set(table, columns);
  ours.set(table, { columns, source });
}

/** `sensitive COLUMNS on TABLE`. */
export function declareSensitive(
  session: Session,
  table: string,
  columns: readonly string[],
): void {
  remember(session, table, [...columns], 'declared');
}

export function sensitiveColumns(
  session: Session,
  table: string,
): SensitiveColumns | undefined {
  const present = new Set(columnNames(session.table(table)));
  const usable = (columns: readonly unknown[]) => columns.filter(
    (c): c is string => typeof c === 'string' && present.has(c));
  const audited = latestAudit(session, table);

  const entry = session.sensitive.get(table);
  const columns = usable(entry ?? []);
  if (entry && columns.length) {
    const ours = written.get(session)?.get(table);
    const source = ours?.columns === entry ? ours.source
      : audited && sameColumns(audited, entry) ? 'audit' : 'declared';
    return { columns, source };
  }

  const fromAudit = usable(audited ?? []);
  return fromAudit.length ? { columns: fromAudit, source: 'audit' }
    : undefined;
}

/** The `by` of the latest audit of a table (`kind: 'audit'`, `table`). */
function latestAudit(session: Session, table: string): unknown[] | undefined {
  for (let i = session.outcomes.length - 1; i >= 0; i--) {
    const result = session.outcomes[i]!.result;
    if (result.kind !== 'audit' || result.table !== table) continue;
    const by = result['by'];
    if (Array.isArray(by)) return by;
  }
  return undefined;
}

function sameColumns(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/**
 * A table made from another by a repair keeps its sensitive columns, so
 * that `split` into train and test still reports by the same groups.
 */
export function carrySensitive(
  session: Session,
  input: string,
  from: SensitiveColumns | undefined,
  outputs: readonly string[],
): void {
  for (const name of outputs) {
    if (name === input) continue;
    if (from) remember(session, name, [...from.columns], from.source);
    else session.sensitive.delete(name);
  }
}
