// Running `audit` and `compare`. The figures come from src/runtime/audit;
// this file turns statements into audit specs, keeps the result table of
// `as NAME`, and remembers the audited groups as the table's sensitive
// columns unless a `sensitive` statement declared them.

import type { Name } from '../../lang/ast.js';
import { fail } from '../../lang/diagnostics.js';
import {
  auditProblems, type AuditClauses,
} from '../../lang/statements/audit.js';
import type { ValueType } from '../../lang/types.js';
import { compareWithReference, readDistribution } from '../audit/against.js';
import { auditTable, type AuditFigures, type AuditSpec }
  from '../audit/audit.js';
import { compareResult } from '../audit/compare.js';
import { missingnessByGroup } from '../audit/missingness.js';
import '../audit/render.js';
import { auditResult } from '../audit/result.js';
import { compileExpression } from '../expr.js';
import type { Result } from '../result.js';
import type { Session } from '../session.js';
import {
  columnOf, makeTable, rowCount, takeRows, toColumn, typeOfColumn,
  typeOfValues, type Column, type Table, type Value,
} from '../table.js';
import { defineExecutor } from './registry.js';

defineExecutor('audit', ({ session, step, statement }) => {
  const name = step.input!;
  let table = session.table(name);

  // 1. The rows: all, or those the statement's own where keeps.
  let keptRows: number[] | undefined;
  if (statement.condition) {
    const condition = compileExpression(statement.condition, table);
    keptRows = [];
    for (let row = 0; row < rowCount(table); row++) {
      if (condition(row) === true) keptRows.push(row);
    }
    if (keptRows.length === 0 && rowCount(table) > 0) {
      fail(auditProblems.emptyTable(name, true), statement.condition.span);
    }
    table = takeRows(table, keptRows);
  }

  // 2. The figures, then the sections that build on them.
  const figures = auditTable(table, {
    ...specOf(statement, name),
    ...(keptRows ? { keptRows, filtered: true } : {}),
  });
  const missingness = missingnessByGroup(table, figures);
  const against = statement.against
    ? compareWithReference(figures,
      readDistribution(statement.against, figures.by, session))
    : undefined;
  const result = auditResult({ figures, missingness,
    ...(against ? { against } : {}) });

  // 3. What later statements use: the table of `as`, the groups.
  if (statement.output) {
    session.setTable(statement.output.name,
      resultTable(result, table, figures.by));
  }
  rememberSensitive(session, name, figures.by);
  return result;
});

defineExecutor('compare', ({ session, statement }) => {
  const names = { before: statement.first.name, after: statement.second.name };
  const notes: string[] = [];
  const audit = (tableName: string): AuditFigures => {
    const table = session.table(tableName);
    const spec = specOf(statement, tableName);
    // A weight column that one table lacks: that table counts its rows.
    if (spec.weight && !table.columnNames().includes(spec.weight.column)) {
      notes.push(`${tableName} has no column ${spec.weight.column}: each ` +
        'of its rows counts once');
      delete spec.weight;
    }
    return auditTable(table, spec);
  };

  const before = audit(names.before);
  const after = audit(names.after);
  const result = compareResult(before, after, names, notes);
  if (statement.output) {
    session.setTable(statement.output.name,
      resultTable(result, session.table(names.before), before.by));
  }
  return result;
});

/** The spec an audit statement (or one side of a compare) describes. */
function specOf(statement: AuditClauses, table: string): AuditSpec {
  const { target, reference, weight } = statement;
  return {
    table,
    by: statement.by.map((column: Name) => column.name),
    ...(target
      ? {
        target: {
          column: target.column.name,
          ...(target.positive
            ? { positive: { value: target.positive.value,
              span: target.positive.span } }
            : {}),
          ...(target.total
            ? { total: { column: target.total.name,
              span: target.total.span } }
            : {}),
        },
      }
      : {}),
    ...(reference
      ? {
        reference: {
          values: reference.map((value) => value.value),
          span: reference[0]!.span,
        },
      }
      : {}),
    ...(weight ? { weight: { column: weight.name, span: weight.span } } : {}),
  };
}

// The result's rows as a table: group columns keep their type; the
// class column takes the target column's type.
function resultTable(result: Result, source: Table, by: string[]): Table {
  const rows = result.rows ?? [];
  const columns = result.columns ?? [];
  const target = result['target'] as { column?: string } | null;
  const entries = columns.map((name): [string, Column] => {
    const values = rows.map((row) => (row[name] ?? null) as Value);
    let type: ValueType;
    if (by.includes(name)) {
      type = typeOfColumn(columnOf(source, name));
    } else if (name === 'class' && target?.column &&
        source.columnNames().includes(target.column)) {
      type = typeOfColumn(columnOf(source, target.column));
    } else {
      // Figures that are all missing are still number columns.
      const found = typeOfValues(values);
      type = found === 'unknown' ? 'number' : found;
    }
    return [name, toColumn(values, type)];
  });
  return makeTable(entries);
}

// Sensitive columns: a `sensitive` statement declares them; until it does,
// the latest audit's groups stand in. An entry this module set is known by
// identity, so a declared entry (another array) is never overwritten.
const fromAudit = new WeakMap<Session, Map<string, string[]>>();

function rememberSensitive(
  session: Session,
  table: string,
  by: readonly string[],
): void {
  const ours = fromAudit.get(session) ?? new Map<string, string[]>();
  fromAudit.set(session, ours);
  const current = session.sensitive.get(table);
  if (current !== undefined && ours.get(table) !== current) return;
  const columns = [...by];
  session.sensitive.set(table, columns);
  ours.set(table, columns);
}

