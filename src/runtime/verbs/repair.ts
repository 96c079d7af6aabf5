// Running the repair statements: sensitive, clean, split, stratify,
// balance and generate. The work is in src/runtime/repair/; this file
// runs it and says, per group of the sensitive columns, what it did.

import { fail } from '../../lang/diagnostics.js';
import {
  repairProblems, shareFractions, type CleanOperation,
} from '../../lang/statements/repair.js';
import { compileExpression } from '../expr.js';
import { groupRows } from '../groups.js';
import { count, plural, type Result, type Row } from '../result.js';
import type { Session } from '../session.js';
import {
  columnNames, columnOf, rowCount, takeRows, type Table,
} from '../table.js';
import { balanceTable } from '../repair/balance.js';
import { dedupe, dropMissing, impute, outliers, type CleanEffect }
  from '../repair/clean.js';
import { generateRows } from '../repair/generate.js';
import {
  effectByGroup, effectColumns, effectRows, lossWarnings, percent,
  sizesByGroup, type GroupEffect,
} from '../repair/impact.js';
import { cleanLabels } from '../repair/labels.js';
import {
  carrySensitive, declareSensitive, sensitiveColumns,
  type SensitiveColumns,
} from '../repair/sensitive.js';
import { splitRows, strataOf, stratifiedSample } from '../repair/split.js';
import {
  defineTextRenderer, formatTable, renderDefault,
} from '../render/text.js';
import { defineExecutor } from './registry.js';

/** " → name" when a statement's output has a new name. */
function arrow(step: { input?: string; output?: string }): string {
  return step.output && step.output !== step.input ? ` → ${step.output}` : '';
}

function ones(mask: Uint8Array | undefined): number {
  let n = 0;
  if (mask) for (const bit of mask) n += bit;
  return n;
}

function noSensitiveNote(table: string): string {
  return `no sensitive columns are known for ${table}: declare them with ` +
    '"sensitive COLUMNS" (or audit by them) to see what each repair does ' +
    'to each group';
}

// sensitive -------------------------------------------------------------------

defineExecutor('sensitive', ({ session, step, statement }) => {
  const name = step.input!;
  const columns = statement.columns.map((c) => c.name);
  declareSensitive(session, name, columns);

  const table = session.table(name);
  const total = rowCount(table);
  const groups = groupRows(table, columns).groups;
  const rows = groups.map((group) => {
    const row: Row = {};
    columns.forEach((c, i) => { row[c] = group.values[i]; });
    row['n'] = group.rows.length;
    row['share'] = total ? group.rows.length / total : null;
    return row;
  });
  return {
    kind: 'sensitive',
    table: name,
    message: `sensitive columns of ${name}: ${columns.join(', ')} ` +
      `(${plural(groups.length, 'group')}); clean, split, balance and ` +
      'generate report what they do to each group',
    summary: { columns, groups: groups.length },
    columns: [...columns, 'n', 'share'],
    rows,
  };
});

// clean -----------------------------------------------------------------------

function describeOperation(operation: CleanOperation): string {
  const names = (list: readonly { name: string }[]) =>
    list.map((c) => c.name).join(', ');
  switch (operation.op) {
    case 'drop-missing':
      return 'drop missing' + (operation.columns.length
        ? ` in ${names(operation.columns)}` : '');
    case 'impute':
      return `impute ${names(operation.columns)} with ${operation.method}` +
        (operation.by.length ? ` by ${names(operation.by)}` : '');
    case 'dedupe':
      return 'dedupe' +
        (operation.columns.length ? ` on ${names(operation.columns)}` : '') +
        (operation.tolerance !== undefined
          ? ` within ${operation.tolerance}` : '');
    case 'outliers':
      return `outliers ${names(operation.columns)} ${operation.rule} ` +
        `${operation.limit}`;
    case 'labels':
      // The features are named in the step's details.
      return `labels ${operation.target.name}`;
  }
}

async function runOperation(
  operation: CleanOperation,
  table: Table,
  session: Session,
  tableName: string,
): Promise<CleanEffect> {
  switch (operation.op) {
    case 'drop-missing':
      return dropMissing(table, operation.columns.map((c) => c.name));
    case 'impute':
      return impute(table, operation.columns.map((c) => c.name),
        operation.method, operation.by.map((c) => c.name),
        (problem) => fail(repairProblems.noValuesToImpute(problem.column,
          problem.group), operation.span));
    case 'dedupe':
      return dedupe(table, operation.columns.map((c) => c.name),
        operation.tolerance);
    case 'outliers':
      return outliers(table, operation.columns.map((c) => c.name),
        operation.rule, operation.limit);
    case 'labels':
      return cleanLabels(table, operation.target.name,
        operation.features.map((c) => c.name), session, tableName,
        operation.span);
  }
}

interface CleanStep {
  operation: string;
  rows_before: number;
  removed: number;
  changed: number;
  rows_after: number;
  details: string[];
  groups: Row[];
}

defineExecutor('clean', async ({ session, step, statement }) => {
  const input = step.input!;
  const output = step.output!;
  const sensitive = sensitiveColumns(session, input);
  const groupColumns = sensitive?.columns ?? [];
  let table = session.table(input);
  const rowsBefore = rowCount(table);

  const steps: CleanStep[] = [];
  const rows: Row[] = [];
  const notes: string[] = [];
  let changedTotal = 0;

  for (const operation of statement.operations) {
    const name = describeOperation(operation);
    const effect = await runOperation(operation, table, session, input);
    const before = rowCount(table);
    const removed = ones(effect.removed);
    const changed = ones(effect.changed);

    let groups: Row[] = [];
    if (groupColumns.length) {
      const effects = effectByGroup(table, groupColumns, effect.removed,
        effect.changed);
      groups = effectRows(effects, groupColumns, { step: name });
      notes.push(...lossWarnings(effects, groupColumns, 'removed', name),
        ...lossWarnings(effects, groupColumns, 'changed', name));
    } else {
      groups = [{ step: name, n_before: before, removed, changed,
        n_after: before - removed,
        share_removed: before ? removed / before : null,
        share_changed: before ? changed / before : null }];
    }
    rows.push(...groups);
    notes.push(...effect.details.map((detail) => `${name}: ${detail}`));
    steps.push({ operation: name, rows_before: before, removed, changed,
      rows_after: before - removed, details: effect.details, groups });
    changedTotal += changed;
    table = effect.table;
  }

  session.setTable(output, table);
  carrySensitive(session, input, sensitive, [output]);
  if (!sensitive) notes.push(noSensitiveNote(input));

  const rowsAfter = rowCount(table);
  const said = steps.map((s) => s.changed
    ? `${s.operation} changed ${plural(s.changed, 'row')}`
    : `${s.operation} removed ${count(s.removed)} of ${count(s.rows_before)}`);
  return {
    kind: 'clean',
    table: output,
    message: `clean ${input}: ${said.join('; ')}; ` +
      `${plural(rowsAfter, 'row')} left${arrow(step)}`,
    summary: {
      rows_before: rowsBefore,
      rows_after: rowsAfter,
      removed: rowsBefore - rowsAfter,
      changed: changedTotal,
    },
    sensitive: groupColumns,
    sensitive_source: sensitive?.source ?? null,
    steps,
    columns: ['step', ...groupColumns, ...effectColumns],
    rows,
    ...(notes.length ? { notes } : {}),
  };
});

// split and stratify ----------------------------------------------------------

defineExecutor('split', ({ session, step, statement }) => {
  const input = step.input!;
  const table = session.table(input);
  const sensitive = sensitiveColumns(session, input);
  const fractions = shareFractions(statement.shares)!;
  const names = statement.into.map((n) => n.name);
  const strataColumns = statement.strata.map((c) => c.name);

  const strata = strataOf(table, strataColumns);
  const outcome = splitRows(strata, fractions, session.random);
  names.forEach((name, j) => {
    session.setTable(name, takeRows(table, outcome.parts[j]!));
  });
  carrySensitive(session, input, sensitive, names);

  // 1. Rows: the strata, or else the sensitive groups, in every part.
  const shown = strataColumns.length ? strataColumns
    : sensitive?.columns ?? [];
  const groups = groupRows(table, shown).groups;
  const partOf = new Int32Array(rowCount(table));
  outcome.parts.forEach((rows, j) => { for (const r of rows) partOf[r] = j; });
  const rows = groups.map((group) => {
    const row: Row = {};
    shown.forEach((c, i) => { row[c] = group.values[i]; });
    row['n'] = group.rows.length;
    const inPart = names.map(() => 0);
    for (const r of group.rows) inPart[partOf[r]!]!++;
    names.forEach((name, j) => { row[name] = inPart[j]; });
    return row;
  });

  // 2. Strata too small to reach every part.
  const notes: string[] = [];
  strata.groups.forEach((group, s) => {
    const empty = names.filter((_, j) => outcome.counts[s]![j] === 0);
    if (strataColumns.length && empty.length) {
      notes.push(`stratum ${strataLabel(strataColumns, group.values)} has ` +
        `${plural(group.rows.length, 'row')}, too few to split ` +
        `${statement.shares.join('/')}: ${empty.join(' and ')} ` +
        `${empty.length === 1 ? 'gets' : 'get'} none of it`);
    }
  });
  if (!sensitive && !strataColumns.length) notes.push(noSensitiveNote(input));

  const sizes = outcome.parts.map((p) => p.length);
  const parts = Object.fromEntries(names.map((n, j) => [n, sizes[j]!]));
  const listed = names.map((n, j) => `${n} (${count(sizes[j]!)})`);
  return {
    kind: 'split',
    table: names[0]!,
    message: `split ${input} (${plural(rowCount(table), 'row')}) ` +
      `${statement.shares.join('/')} into ${listed.slice(0, -1).join(', ')} ` +
      `and ${listed[listed.length - 1]}` +
      (strataColumns.length
        ? `, stratified by ${strataColumns.join(', ')}` : '') +
      ` (seed ${session.seed})`,
    summary: { rows: rowCount(table), ...parts, seed: session.seed },
    parts,
    strata: strataColumns,
    columns: [...shown, 'n', ...names],
    rows,
    ...(notes.length ? { notes } : {}),
  };
});

function strataLabel(columns: readonly string[], values: readonly unknown[]):
string {
  return columns.map((c, i) =>
    `${c} = ${values[i] === null ? '(missing)' : String(values[i])}`)
    .join(', ');
}

defineExecutor('stratify', ({ session, step, statement }) => {
  const input = step.input!;
  const output = step.output!;
  const table = session.table(input);
  const sensitive = sensitiveColumns(session, input);
  const total = rowCount(table);
  const columns = statement.strata.map((c) => c.name);
  const { amount } = statement;
  const size = amount.type === 'size' ? amount.value
    : Math.round(amount.value * total);
  if (size > total) fail(repairProblems.sizeTooLarge(size, total), amount.span);

  const strata = strataOf(table, columns);
  const sample = stratifiedSample(strata, size, statement.equal,
    session.random);
  session.setTable(output, takeRows(table, sample.rows));
  carrySensitive(session, input, sensitive, [output]);

  const notes: string[] = [];
  const rows = strata.groups.map((group, s) => {
    const row: Row = {};
    columns.forEach((c, i) => { row[c] = group.values[i]; });
    row['n'] = group.rows.length;
    row['wanted'] = sample.wanted[s];
    row['taken'] = sample.taken[s];
    row['share'] = sample.rows.length ? sample.taken[s]! / sample.rows.length
      : null;
    if (sample.taken[s]! < sample.wanted[s]!) {
      notes.push(`${strataLabel(columns, group.values)} has only ` +
        `${plural(group.rows.length, 'row')}, fewer than the ` +
        `${count(sample.wanted[s]!)} wanted: all of them were taken`);
    }
    return row;
  });

  const taken = sample.rows.length;
  return {
    kind: 'stratify',
    table: output,
    message: `stratified sample of ${plural(taken, 'row')} from ` +
      `${count(total)} by ${columns.join(', ')}` +
      `${statement.equal ? ', equal strata' : ', proportional'} ` +
      `(seed ${session.seed})${arrow(step)}`,
    summary: { rows_before: total, rows_after: taken, wanted: size,
      strata: strata.groups.length, equal: statement.equal,
      seed: session.seed },
    columns: [...columns, 'n', 'wanted', 'taken', 'share'],
    rows,
    ...(notes.length ? { notes } : {}),
  };
});

// balance ---------------------------------------------------------------------

/** Per sensitive group: sizes (or total weight) before and after. */
function sensitiveReport(
  before: Table,
  after: Table,
  sensitive: SensitiveColumns | undefined,
  covered: readonly string[],
  step: string,
): { rows: Row[]; notes: string[] } {
  if (!sensitive) return { rows: [], notes: [] };
  const columns = sensitive.columns;
  // When the cells already show every sensitive column, they say it all.
  if (columns.every((c) => covered.includes(c))) {
    const effects = sizesByGroup(before, after, columns);
    return { rows: [], notes: lossWarnings(effects, columns, 'removed', step) };
  }
  const effects: GroupEffect[] = sizesByGroup(before, after, columns);
  return {
    rows: effects.map((effect) => {
      const row: Row = {};
      columns.forEach((c, i) => { row[c] = effect.values[i]; });
      row['n_before'] = effect.before;
      row['n_after'] = effect.after;
      row['change'] = effect.after - effect.before;
      return row;
    }),
    notes: lossWarnings(effects, columns, 'removed', step),
  };
}

/** Per sensitive group: total weight before and after reweighing. */
function weightReport(
  before: Table,
  after: Table,
  sensitive: SensitiveColumns | undefined,
  covered: readonly string[],
): { rows: Row[]; notes: string[] } {
  if (!sensitive || sensitive.columns.every((c) => covered.includes(c))) {
    return { rows: [], notes: [] };
  }
  const columns = sensitive.columns;
  const old = columnNames(before).includes('weight')
    ? columnOf(before, 'weight') : undefined;
  const weights = columnOf(after, 'weight') as Float64Array;
  const rows = groupRows(before, columns).groups.map((group) => {
    const row: Row = {};
    columns.forEach((c, i) => { row[c] = group.values[i]; });
    let was = 0;
    let now = 0;
    for (const r of group.rows) {
      const w = old instanceof Float64Array ? old[r]! : 1;
      was += Number.isNaN(w) ? 1 : w;
      now += weights[r]!;
    }
    row['n'] = group.rows.length;
    row['weight_before'] = was;
    row['weight_after'] = now;
    return row;
  });
  return { rows, notes: [] };
}

defineExecutor('balance', ({ session, step, statement }) => {
  const input = step.input!;
  const output = step.output!;
  const table = session.table(input);
  const sensitive = sensitiveColumns(session, input);
  const groups = statement.groups.map((g) => g.name);
  const target = statement.target?.name;

  const outcome = balanceTable(table, {
    groups,
    ...(target ? { target } : {}),
    method: statement.method,
    goal: statement.goal,
    span: statement.methodSpan,
  }, session.random, session.progress);
  session.setTable(output, outcome.table);
  carrySensitive(session, input, sensitive, [output]);

  const before = rowCount(table);
  const after = rowCount(outcome.table);
  const how = `${statement.method}${goalWords(statement.goal)}`;
  const by = groups.join(', ') + (target ? ` target ${target}` : '');
  const report = statement.method === 'reweigh'
    ? weightReport(table, outcome.table, sensitive, outcome.columns)
    : sensitiveReport(table, outcome.table, sensitive, outcome.columns,
      `balance (${statement.method})`);
  const notes = [...outcome.notes, ...report.notes];
  if (!sensitive) notes.push(noSensitiveNote(input));

  const result: Result = {
    kind: 'balance',
    table: output,
    message: statement.method === 'reweigh'
      ? reweighMessage(input, by, outcome.parity, step)
      : `balance ${input} by ${by} (${how}): ${count(before)} → ` +
        `${plural(after, 'row')}` +
        (after > before ? `, ${count(after - before)} added and marked ` +
          'synthetic' : '') +
        (after < before ? `, ${count(before - after)} removed` : '') +
        arrow(step),
    summary: {
      method: statement.method,
      rows_before: before,
      rows_after: after,
      added: Math.max(0, after - before),
      removed: Math.max(0, before - after),
      cells: outcome.rows.length,
      ...(outcome.parity ? {
        parity_difference_before: outcome.parity.before,
        parity_difference_after: outcome.parity.after,
      } : {}),
    },
    by: groups,
    target: target ?? null,
    columns: Object.keys(outcome.rows[0] ?? {}),
    rows: outcome.rows,
    ...(report.rows.length ? { sensitive_groups: report.rows } : {}),
    ...(notes.length ? { notes } : {}),
  };
  return result;
});

function goalWords(goal: { type: string; ratio?: number }): string {
  if (goal.type === 'ratio') return ` to ratio ${goal.ratio}`;
  if (goal.type === 'counts') return ' to the sizes given';
  return ' to equal';
}

function reweighMessage(
  input: string,
  by: string,
  parity: { before: number; after: number } | undefined,
  step: { input?: string; output?: string },
): string {
  const base = `reweigh ${input} by ${by}: weights in column "weight", ` +
    'total weight unchanged';
  if (!parity) return base + arrow(step);
  return `${base}; label-rate gap between groups ` +
    `${percent(parity.before)} → ${percent(parity.after)}${arrow(step)}`;
}

// generate --------------------------------------------------------------------

defineExecutor('generate', ({ session, step, statement }) => {
  const input = step.input!;
  const table = session.table(input);
  const sensitive = sensitiveColumns(session, input);
  const total = rowCount(table);

  const source: number[] = [];
  if (statement.condition) {
    const condition = compileExpression(statement.condition, table);
    for (let row = 0; row < total; row++) {
      if (condition(row) === true) source.push(row);
    }
    if (source.length === 0) {
      fail(repairProblems.noRowsMatch(), statement.condition.span);
    }
  } else {
    for (let row = 0; row < total; row++) source.push(row);
  }

  const outcome = generateRows(table, {
    count: statement.count,
    source,
    groups: statement.groups.map((g) => g.name),
    method: statement.method,
    span: statement.methodSpan,
  }, session.random, session.progress);

  // `as NAME` keeps the new rows apart; otherwise they are appended.
  const apart = statement.output !== undefined &&
    statement.output.name !== input;
  const produced = apart
    ? takeRows(outcome.table, Array.from({ length: outcome.added },
      (_, i) => total + i))
    : outcome.table;
  session.setTable(step.output!, produced);
  carrySensitive(session, input, sensitive, [step.output!]);

  const using = statement.method === 'smote' ? 'SMOTE' : 'the sampler';
  const from = statement.condition
    ? `the ${plural(source.length, 'matching row')}`
    : `all ${plural(source.length, 'row')}`;
  return {
    kind: 'generate',
    table: step.output!,
    message: `generated ${plural(outcome.added, 'row')} with ${using} from ` +
      `${from} of ${input}` + (apart
      ? `, kept apart as ${step.output}`
      : `, appended and marked synthetic (${plural(total + outcome.added,
        'row')})`),
    summary: {
      method: statement.method,
      source_rows: source.length,
      generated: outcome.added,
      rows_after: rowCount(produced),
      seed: session.seed,
    },
    columns: Object.keys(outcome.rows[0] ?? {}),
    rows: outcome.rows,
    ...(outcome.notes.length ? { notes: outcome.notes } : {}),
  };
});

// Text: balance shows its cells, then the sensitive groups when they are
// other columns than the cells'.
defineTextRenderer('balance', (result, options) => {
  const text = renderDefault(result, options);
  const groups = result['sensitive_groups'];
  if (!Array.isArray(groups) || groups.length === 0) return text;
  const rows = groups as Row[];
  const table = formatTable(Object.keys(rows[0]!), rows,
    { ...options, totalRows: rows.length });
  return `${text}\nby sensitive group:\n${table}`;
});
