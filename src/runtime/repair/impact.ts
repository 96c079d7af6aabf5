// What a repair did to each group: rows removed, changed or added, and a
// warning when one group bears a larger share of the loss than the rest.
//
// A repair that removes one group's rows more often than the others'
// changes who the data speaks for; these figures make that visible.

import { groupRows, valueLabel } from '../groups.js';
import type { Row } from '../result.js';
import type { Table, Value } from '../table.js';

export interface GroupEffect {
  /** The group's value in each sensitive column. */
  values: Value[];
  before: number;
  removed: number;
  changed: number;
  added: number;
  after: number;
}

/** Per group of `columns`: rows of `table` a step removed or changed. */
export function effectByGroup(
  table: Table,
  columns: readonly string[],
  removed?: Uint8Array,
  changed?: Uint8Array,
): GroupEffect[] {
  return groupRows(table, columns).groups.map((group) => {
    let lost = 0;
    let touched = 0;
    for (const row of group.rows) {
      if (removed?.[row]) lost++;
      else if (changed?.[row]) touched++;
    }
    return {
      values: group.values,
      before: group.rows.length,
      removed: lost,
      changed: touched,
      added: 0,
      after: group.rows.length - lost,
    };
  });
}

/** Per group of `columns`: sizes before and after a step. */
export function sizesByGroup(
  before: Table,
  after: Table,
  columns: readonly string[],
): GroupEffect[] {
  const key = (values: readonly Value[]) =>
    values.map(valueLabel).join('\u0001');
  const effects = new Map<string, GroupEffect>();
  for (const group of groupRows(before, columns).groups) {
    effects.set(key(group.values), { values: group.values,
      before: group.rows.length, removed: 0, changed: 0, added: 0, after: 0 });
  }
  for (const group of groupRows(after, columns).groups) {
    const found = effects.get(key(group.values));
    const effect = found ?? { values: group.values, before: 0, removed: 0,
      changed: 0, added: 0, after: 0 };
    effect.after = group.rows.length;
    if (!found) effects.set(key(group.values), effect);
  }
  for (const effect of effects.values()) {
    effect.added = Math.max(0, effect.after - effect.before);
    effect.removed = Math.max(0, effect.before - effect.after);
  }
  return [...effects.values()];
}

/** "afam = yes" or "afam = yes, sex = Female". */
export function describeGroup(
  columns: readonly string[],
  values: readonly Value[],
): string {
  return columns.map((c, i) => `${c} = ${valueLabel(values[i]!)}`).join(', ');
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * Warn about each group whose share of rows removed (or changed) is at
 * least 1.25 times the share among all other rows and at least one
 * percentage point above it. 1.25 is the four-fifths rule turned around:
 * the other rows keep at least four fifths of this group's loss rate.
 */
export function lossWarnings(
  effects: readonly GroupEffect[],
  columns: readonly string[],
  what: 'removed' | 'changed',
  step: string,
): string[] {
  const total = effects.reduce((n, e) => n + e.before, 0);
  const affected = effects.reduce((n, e) => n + e[what], 0);
  const warnings: string[] = [];

  for (const effect of effects) {
    const restRows = total - effect.before;
    if (effect.before === 0 || restRows === 0 || effect[what] === 0) continue;
    const share = effect[what] / effect.before;
    const rest = (affected - effect[what]) / restRows;
    if (share >= 1.25 * rest && share - rest >= 0.01) {
      warnings.push(`${step} ${what} ${percent(share)} of the rows with ` +
        `${describeGroup(columns, effect.values)}, against ` +
        `${percent(rest)} of the other rows: this repair shifts who the ` +
        'data represents');
    }
  }
  return warnings;
}

/** Result rows: the group's values, then its figures. */
export function effectRows(
  effects: readonly GroupEffect[],
  columns: readonly string[],
  first: Row = {},
): Row[] {
  return effects.map((effect) => {
    const row: Row = { ...first };
    columns.forEach((column, i) => { row[column] = effect.values[i]; });
    row['n_before'] = effect.before;
    row['removed'] = effect.removed;
    row['changed'] = effect.changed;
    row['n_after'] = effect.after;
    const share = (n: number) => (effect.before ? n / effect.before : null);
    row['share_removed'] = share(effect.removed);
    row['share_changed'] = share(effect.changed);
    return row;
  });
}

export const effectColumns = [
  'n_before', 'removed', 'changed', 'n_after', 'share_removed',
  'share_changed',
];
