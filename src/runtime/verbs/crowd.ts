// Running the crowd statements: load annotations, agreement, aggregate
// and workers. The statistics live in src/runtime/crowd; this file reads
// the tables, checks the data, and shapes results.

import type { Step } from '../../lang/check.js';
import { fail } from '../../lang/diagnostics.js';
import {
  aggregateItemColumn, crowdProblems, type AggregateMethod, type AgreementLevel,
  type GoldPlan,
} from '../../lang/statements/crowd.js';
import {
  defaultEm, expectationMaximisation, majority, topLabels, weighted,
  type Fit,
} from '../crowd/aggregate.js';
import {
  band, cohenKappa, fleissKappa, itemCounts, krippendorffAlpha,
  krippendorffScale, landisKoch, pairKappas, percentAgreement, type Scale,
} from '../crowd/agreement.js';
import {
  encodeRatings, place, ratingsPerItem, requireWorkers, type Ratings,
} from '../crowd/ratings.js';
import { confusionMatrix, workerQuality } from '../crowd/workers.js';
import { count, plural, type Row } from '../result.js';
import {
  defineTextRenderer, formatNumber, formatTable, renderDefault, wrap,
} from '../render/text.js';
import type { Session } from '../session.js';
import {
  columnOf, makeTable, rowCount, toColumn, type Table, type Value, valueAt,
} from '../table.js';
import { loadTable } from './data.js';
import { defineExecutor } from './registry.js';

// 1. Ratings, coded once per table

const coded = new WeakMap<Table, Map<string, Ratings>>();

/** The statement's table as coded ratings, with the roles the plan set. */
function ratingsOf(session: Session, step: Step, where?: string): Ratings {
  const name = step.input!;
  const table = session.table(name);
  const roles = step.crowd!.roles;
  const key = JSON.stringify(roles);
  let byRoles = coded.get(table);
  if (!byRoles) {
    byRoles = new Map();
    coded.set(table, byRoles);
  }
  let ratings = byRoles.get(key);
  if (!ratings) {
    ratings = encodeRatings(table, name, roles, { source: where ?? name });
    byRoles.set(key, ratings);
  }
  return ratings;
}

/** "7 ratings by 3 workers" style facts about repeated ratings. */
function repeatedNote(ratings: Ratings): string | undefined {
  const seen = new Set<number>();
  let repeated = 0;
  const workers = new Set<number>();
  for (let r = 0; r < ratings.item.length; r++) {
    const key = ratings.worker[r]! * ratings.items.length + ratings.item[r]!;
    if (seen.has(key)) {
      repeated++;
      workers.add(ratings.worker[r]!);
    } else {
      seen.add(key);
    }
  }
  if (!repeated) return undefined;
  const who = [...workers].slice(0, 5).map((w) =>
    JSON.stringify(String(ratings.workers[w]))).join(', ');
  return `${plural(repeated, 'rating')} repeat an item already rated by ` +
    `the same worker (${who}${workers.size > 5 ? ', ...' : ''}); every ` +
    'rating is kept and counts as a vote';
}

function labelList(ratings: Ratings, limit = 8): string {
  const shown = ratings.labels.slice(0, limit).map(String).join(', ');
  return ratings.labels.length > limit
    ? `${shown} and ${ratings.labels.length - limit} more`
    : shown;
}

// 2. load annotations

defineExecutor('load-annotations', ({ session, step, statement }) => {
  const read = loadTable(session, statement);
  const display = read.display;

  const name = step.output!;
  const ratings = encodeRatings(read.table, name, step.crowd!.roles,
    { source: display });
  session.setTable(name, read.table);
  coded.set(read.table, new Map([[JSON.stringify(ratings.roles), ratings]]));

  const notes = read.notes.map((note) => note.message);
  if (ratings.skipped) {
    notes.push(`${plural(ratings.skipped, 'row')} with no label ` +
      `${ratings.skipped === 1 ? 'is' : 'are'} not ratings and ` +
      `${ratings.skipped === 1 ? 'was' : 'were'} left out`);
  }
  const repeated = repeatedNote(ratings);
  if (repeated) notes.push(repeated);

  const n = ratings.item.length;
  return {
    kind: 'load-annotations',
    table: name,
    message: `${name}: ${plural(n, 'rating')} of ` +
      `${plural(ratings.items.length, 'item')} by ` +
      `${plural(ratings.workers.length, 'worker')}, labels ` +
      `${labelList(ratings)} (from ${display})`,
    summary: {
      ratings: n,
      items: ratings.items.length,
      workers: ratings.workers.length,
      labels: ratings.labels.length,
      skipped: ratings.skipped,
      file: display,
    },
    ...(notes.length ? { notes } : {}),
  };
});

// 3. agreement

function measureRow(
  measure: string,
  value: number | null,
  items: number,
  scale?: Scale,
  se: number | null = null,
  z: number | null = null,
): Row {
  return {
    measure,
    value,
    se,
    z,
    items,
    band: scale ? band(value, scale) : null,
    scale: scale ? scale.source : null,
  };
}

defineExecutor('agreement', ({ session, step, statement }) => {
  const ratings = ratingsOf(session, step);
  const name = step.input!;
  requireWorkers(ratings, 'agreement');
  const level: AgreementLevel | undefined = statement.level;
  if (level && ratings.labelType !== 'number') {
    fail(crowdProblems.levelNeedsNumbers(level, name, ratings.roles.label,
      ratings.labelType === 'string' ? 'text' : 'true/false values'),
    statement.levelSpan);
  }

  const counts = itemCounts(ratings);
  const rated = counts.perItem.filter((m) => m >= 2).length;
  if (rated === 0) {
    fail(crowdProblems.singleRatings('agreement', ratings.items.length));
  }

  // 1. Item-level statistics.
  const values = ratings.labels.map(Number);
  const percent = percentAgreement(counts);
  const fleiss = fleissKappa(counts);
  const nominal = krippendorffAlpha(counts, 'nominal', values);
  const leveled = level ? krippendorffAlpha(counts, level, values) : undefined;

  // 2. Pairs of workers, and Cohen's kappa itself when there are two.
  const pairs = pairKappas(ratings);
  const two = ratings.workers.length === 2 ? cohenKappa(ratings) : undefined;

  const rows: Row[] = [measureRow('percent agreement', percent, rated)];
  if (two) {
    rows.push(measureRow("Cohen's kappa", two.kappa, two.items, landisKoch,
      two.se, two.z));
  }
  if ('unavailable' in fleiss) {
    rows.push(measureRow("Fleiss' kappa", null, ratings.items.length,
      landisKoch));
  } else {
    rows.push(measureRow("Fleiss' kappa", fleiss.kappa, fleiss.items,
      landisKoch, fleiss.se, fleiss.z));
  }
  rows.push(measureRow('Krippendorff nominal', nominal.alpha,
    nominal.items, krippendorffScale));
  if (leveled && level) {
    rows.push(measureRow(`Krippendorff ${level}`, leveled.alpha,
      leveled.items, krippendorffScale));
  }

  // 3. Notes: what was left out, and how the bands read.
  const notes: string[] = [];
  const single = ratings.items.length - rated;
  if (single) {
    notes.push(`${plural(single, 'item')} with a single rating ` +
      `${single === 1 ? 'is' : 'are'} left out: agreement needs two ` +
      'ratings of the same item');
  }
  if ('unavailable' in fleiss) {
    notes.push(`no Fleiss' kappa: ${fleiss.unavailable}`);
  }
  const repeated = repeatedNote(ratings);
  if (repeated) notes.push(repeated);
  notes.push('kappa bands after Landis & Koch (1977): below 0 poor, ' +
    '0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80 ' +
    'substantial, 0.81-1 almost perfect');
  notes.push("alpha bands after Krippendorff (2004): at least 0.800 " +
    'reliable, 0.667-0.800 tentative conclusions only, below 0.667 ' +
    'unreliable');

  if (statement.output) {
    session.setTable(statement.output.name, makeTable([
      ['measure', rows.map((r) => r['measure'] as string)],
      ['value', toColumn(rows.map((r) => r['value'] as Value), 'number')],
      ['se', toColumn(rows.map((r) => r['se'] as Value), 'number')],
      ['z', toColumn(rows.map((r) => r['z'] as Value), 'number')],
      ['items', toColumn(rows.map((r) => r['items'] as Value), 'number')],
      ['band', rows.map((r) => r['band'] as string | null)],
      ['scale', rows.map((r) => r['scale'] as string | null)],
    ]));
  }

  const fleissValue = 'unavailable' in fleiss ? null : fleiss.kappa;
  const alpha = leveled ?? nominal;
  const headline = two
    ? figure("Cohen's kappa", two.kappa, landisKoch)
    : fleissValue !== null
      ? figure("Fleiss' kappa", fleissValue, landisKoch)
      : `percent agreement ${formatFigure(percent)}`;
  const message = `agreement on ${name}: ${headline}; ` +
    figure(`Krippendorff's alpha (${level ?? 'nominal'})`, alpha.alpha,
      krippendorffScale) +
    `; ${plural(ratings.items.length, 'item')}, ` +
    `${plural(ratings.workers.length, 'worker')}`;
  if (ratings.labels.length === 1) {
    notes.unshift(`every rating is ${JSON.stringify(String(
      ratings.labels[0]))}: agreement beyond chance is undefined when ` +
      'there is nothing to disagree about');
  }

  return {
    kind: 'agreement',
    table: name,
    message,
    summary: {
      items: ratings.items.length,
      workers: ratings.workers.length,
      ratings: ratings.item.length,
      percent_agreement: percent,
      ...(two
        ? {
          cohen_kappa: two.kappa,
          cohen_se: two.se,
          cohen_low: two.low,
          cohen_high: two.high,
          cohen_z: two.z,
        }
        : {}),
      fleiss_kappa: fleissValue,
      fleiss_se: 'unavailable' in fleiss ? null : fleiss.se,
      fleiss_z: 'unavailable' in fleiss ? null : fleiss.z,
      alpha_nominal: nominal.alpha,
      ...(leveled && level ? { [`alpha_${level}`]: leveled.alpha } : {}),
    },
    columns: ['measure', 'value', 'se', 'z', 'items', 'band', 'scale'],
    rows,
    categories: 'unavailable' in fleiss ? [] : fleiss.categories.map(
      (category, c) => ({
        label: ratings.labels[c],
        share: category.share,
        kappa: category.kappa,
        se: category.se,
        z: category.z,
      })),
    pairs: pairs.map((pair) => ({
      worker_a: ratings.workers[pair.a],
      worker_b: ratings.workers[pair.b],
      items: pair.items,
      agreement: pair.agreement,
      kappa: pair.kappa,
      band: band(pair.kappa, landisKoch),
    })),
    scales: [landisKoch, krippendorffScale].map((scale) => ({
      source: scale.source,
      bands: scale.bands.map((b) => ({
        from: Number.isFinite(b.from) ? b.from : null,
        label: b.label,
      })),
    })),
    notes,
  };
});

function formatFigure(value: number | null): string {
  return value === null ? 'undefined' : value.toFixed(3);
}

/** "Fleiss' kappa 0.430 (moderate, Landis & Koch 1977)". */
function figure(name: string, value: number | null, scale: Scale): string {
  if (value === null) return `${name} undefined (no variation in labels)`;
  const source = scale.source.replace(/[()]/g, '');
  return `${name} ${formatFigure(value)} (${band(value, scale)}, ${source})`;
}

defineTextRenderer('agreement', (result, options) => {
  const parts = [wrap(result.message ?? '', options.width)];
  // The scale column repeats the notes' sources; the notes name them.
  parts.push(formatTable(['measure', 'value', 'se', 'z', 'items', 'band'],
    result.rows ?? [], { ...options, totalRows: result.rows?.length ?? 0 }));

  const categories = (result['categories'] ?? []) as Row[];
  if (categories.length) {
    parts.push("Fleiss' kappa by label:");
    parts.push(formatTable(['label', 'share', 'kappa', 'se', 'z'],
      categories, { ...options, totalRows: categories.length }));
  }
  const pairs = (result['pairs'] ?? []) as Row[];
  if (pairs.length > 1) {
    // The least agreeing pairs first: those are the ones to look at.
    const sorted = [...pairs].sort((a, b) =>
      ((a['kappa'] as number | null) ?? Infinity) -
      ((b['kappa'] as number | null) ?? Infinity));
    parts.push("Cohen's kappa by pair of workers, lowest first:");
    parts.push(formatTable(
      ['worker_a', 'worker_b', 'items', 'agreement', 'kappa', 'band'],
      sorted, { ...options, maxRows: Math.min(options.maxRows, 10),
        totalRows: sorted.length }));
  }
  return [...parts, ...notesText(result, options.width)].join('\n');
});

function notesText(result: { notes?: string[] }, width: number): string[] {
  return (result.notes ?? []).map((note) =>
    wrap(`note: ${note}`, width, '  '));
}

// 4. aggregate

/** The latest aggregate of each table of ratings, for `workers`. */
interface Aggregated {
  fit: Fit;
  chosen: Int32Array;
  gold?: Int32Array;
  output: string;
}

const latest = new WeakMap<Table, Aggregated>();

/**
 * Gold labels as codes per item (-1 where none). Fails on an item the
 * ratings do not cover, a label no worker gave, or two gold labels for
 * one item. Items and labels match by their text, so 266 and "266" are
 * the same item.
 */
function goldCodes(session: Session, plan: GoldPlan, ratings: Ratings):
Int32Array {
  const table = session.table(plan.table);
  const items = columnOf(table, plan.item);
  const labels = columnOf(table, plan.label);
  const where = { source: plan.table };
  const itemIndex = new Map(ratings.items.map((v, i) => [String(v), i]));
  const labelIndex = new Map(ratings.labels.map((v, i) => [String(v), i]));

  const gold = new Int32Array(ratings.items.length).fill(-1);
  let unknown = 0;
  let firstUnknown = -1;
  for (let row = 0; row < rowCount(table); row++) {
    const item = valueAt(items, row);
    const label = valueAt(labels, row);
    if (item === null || label === null) continue;
    const code = itemIndex.get(String(item));
    if (code === undefined) {
      unknown++;
      if (firstUnknown < 0) firstUnknown = row;
      continue;
    }
    const labelCode = labelIndex.get(String(label));
    if (labelCode === undefined) {
      fail(crowdProblems.goldUnknownLabel(place(where, row), String(label),
        ratings.labels.map(String)), undefined,
      { file: plan.table, row: row + 1, column: plan.label });
    }
    if (gold[code]! >= 0 && gold[code] !== labelCode) {
      fail(crowdProblems.goldConflict(place(where, row), String(item)),
        undefined, { file: plan.table, row: row + 1, column: plan.label });
    }
    gold[code] = labelCode;
  }
  if (unknown) {
    fail(crowdProblems.goldUnknownItem(place(where, firstUnknown),
      String(valueAt(items, firstUnknown)), ratings.table, unknown),
    undefined, { file: plan.table, row: firstUnknown + 1, column: plan.item });
  }
  return gold;
}

function fitMethod(
  session: Session,
  ratings: Ratings,
  method: AggregateMethod,
  gold: Int32Array | undefined,
  options: { iterations?: number; tolerance?: number } = {},
): Fit {
  if (method === 'majority') return majority(ratings, gold);
  if (method === 'weighted') return weighted(ratings, gold);

  const iterations = options.iterations ?? defaultEm.iterations;
  const progress = session.progress.start(`${method} EM`);
  try {
    return expectationMaximisation(ratings, method, {
      iterations,
      tolerance: options.tolerance ?? defaultEm.tolerance,
      ...(gold ? { gold } : {}),
      onIteration: (i) => progress.update(i / iterations, `iteration ${i}`),
    });
  } finally {
    progress.done();
  }
}

/**
 * One label per item: the most probable, or among equally probable ones
 * a uniform draw from the session's generator, items in sorted order.
 */
function chooseLabels(session: Session, fit: Fit, items: number): {
  chosen: Int32Array;
  tied: Uint8Array;
} {
  const chosen = new Int32Array(items);
  const tied = new Uint8Array(items);
  for (let u = 0; u < items; u++) {
    const top = topLabels(fit.posterior, u, fit.classes);
    if (top.length > 1) {
      tied[u] = 1;
      chosen[u] = top[session.random.int(0, top.length - 1)]!;
    } else {
      chosen[u] = top[0]!;
    }
  }
  return { chosen, tied };
}

defineExecutor('aggregate', ({ session, step, statement }) => {
  const ratings = ratingsOf(session, step);
  const input = step.input!;
  const output = step.output!;
  const method = statement.method as AggregateMethod;
  requireWorkers(ratings, 'aggregate');
  const plan = step.crowd!.gold;
  const gold = plan ? goldCodes(session, plan, ratings) : undefined;

  // 1. Fit, then choose one label per item.
  const fit = fitMethod(session, ratings, method, gold, {
    ...(statement.iterations ? { iterations: statement.iterations.value }
      : {}),
    ...(statement.tolerance ? { tolerance: statement.tolerance.value } : {}),
  });
  const items = ratings.items.length;
  const { chosen, tied } = chooseLabels(session, fit, items);
  latest.set(session.table(input), {
    fit, chosen, output, ...(gold ? { gold } : {}),
  });

  // 2. The table: one row per item.
  const classes = fit.classes;
  const votes = ratingsPerItem(ratings);
  const confidence = new Float64Array(items);
  for (let u = 0; u < items; u++) {
    confidence[u] = fit.posterior[u * classes + chosen[u]!]!;
  }
  const isGold = Array.from({ length: items }, (_, u) =>
    gold ? gold[u]! >= 0 : false);
  const itemColumn = aggregateItemColumn(ratings.roles);
  const table = makeTable([
    [itemColumn, toColumn(ratings.items, ratings.itemType)],
    ['label', toColumn(Array.from(chosen, (c) => ratings.labels[c]!),
      ratings.labelType)],
    ['confidence', confidence],
    ['votes', Float64Array.from(votes)],
    ['tie', Array.from(tied, (t) => t === 1)],
    ['from_gold', isGold],
  ]);
  session.setTable(output, table);

  // 3. The result: the least certain items, and how the fit went.
  const ties = tied.reduce((a, b) => a + b, 0);
  const goldItems = isGold.filter(Boolean).length;
  const meanConfidence = confidence.reduce((a, b) => a + b, 0) / items;
  const notes = aggregateNotes(ratings, fit, ties, goldItems, statement);
  const order = Array.from({ length: items }, (_, u) => u)
    .sort((a, b) => confidence[a]! - confidence[b]! || a - b);
  const shown = order.slice(0, 10);

  return {
    kind: 'aggregate',
    table: output,
    message: `aggregate ${input} by ${method} → ${output}: ` +
      `${plural(items, 'item')}` + convergence(fit) +
      `; ${plural(ties, 'tie')}` +
      (goldItems ? `; ${plural(goldItems, 'gold label')} kept` : ''),
    summary: {
      method,
      items,
      ties,
      gold_items: goldItems,
      mean_confidence: meanConfidence,
      ...(fit.iterations !== undefined
        ? {
          iterations: fit.iterations,
          converged: fit.converged ?? false,
          max_iterations: statement.iterations?.value ?? defaultEm.iterations,
          tolerance: statement.tolerance?.value ?? defaultEm.tolerance,
          elbo: fit.elbo![fit.elbo!.length - 1] ?? null,
        }
        : {}),
    },
    ...(fit.priors
      ? {
        priors: Object.fromEntries(ratings.labels.map((label, c) =>
          [String(label), fit.priors![c]!])),
      }
      : {}),
    columns: [itemColumn, 'label', 'confidence', 'votes', 'tie',
      'from_gold'],
    rows: shown.map((u) => ({
      [itemColumn]: ratings.items[u],
      label: ratings.labels[chosen[u]!],
      confidence: confidence[u],
      votes: votes[u],
      tie: tied[u] === 1,
      from_gold: isGold[u],
    })),
    total_rows: items,
    notes,
  };
});

function convergence(fit: Fit): string {
  if (fit.iterations === undefined) return '';
  const elbo = fit.elbo!;
  const gain = elbo.length > 1
    ? elbo[elbo.length - 1]! - elbo[elbo.length - 2]!
    : null;
  const gainText = gain === null ? '' : ` (gain ${formatNumber(gain)})`;
  return fit.converged
    ? `; converged after ${plural(fit.iterations, 'iteration')}${gainText}`
    : `; did not converge in ${plural(fit.iterations, 'iteration')}` +
      gainText;
}

function aggregateNotes(
  ratings: Ratings,
  fit: Fit,
  ties: number,
  goldItems: number,
  statement: { iterations?: { value: number } },
): string[] {
  const notes = ['rows shown: the 10 least certain items; show the ' +
    'output table for all of them'];
  if (ties) {
    notes.push(`${plural(ties, 'item')} had labels tied for the top; ` +
      'each was given one of its tied labels drawn uniformly by the ' +
      "session's seeded generator (items in sorted order), and is marked " +
      'tie = true');
  }
  if (fit.iterations !== undefined && !fit.converged) {
    const limit = statement.iterations?.value ?? defaultEm.iterations;
    notes.push(`the evidence lower bound still rose after ${limit} ` +
      `iterations; raise the limit, e.g. iterations ${limit * 2}`);
  }
  if (goldItems) {
    notes.push(`${plural(goldItems, 'item')} kept their gold label ` +
      '(confidence 1)');
  }
  const single = ratingsPerItem(ratings).filter((m) => m === 1).length;
  if (single) {
    notes.push(`${plural(single, 'item')} had a single rating; its label ` +
      'rests on one worker');
  }
  if (fit.method === 'majority' || fit.method === 'weighted') {
    const repeated = repeatedNote(ratings);
    if (repeated) notes.push(repeated);
  }
  return notes;
}

// 5. workers

defineExecutor('workers', ({ session, step, statement }) => {
  const ratings = ratingsOf(session, step);
  const input = step.input!;
  requireWorkers(ratings, 'workers');

  // Against the latest aggregate of this table; without one, against a
  // Dawid-Skene fit made here. Confusion matrices always come from
  // Dawid-Skene, the only method that estimates them.
  const notes: string[] = [];
  const previous = latest.get(session.table(input));
  let chosen: Int32Array;
  let method: AggregateMethod;
  let fit: Fit;
  if (previous) {
    chosen = previous.chosen;
    method = previous.fit.method;
    fit = previous.fit.method === 'dawid-skene'
      ? previous.fit
      : fitMethod(session, ratings, 'dawid-skene', previous.gold);
    if (previous.fit.method !== 'dawid-skene') {
      notes.push(`agreement is with ${previous.output} (${method}); ` +
        'accuracy and confusion matrices come from a Dawid-Skene fit ' +
        'made here with the default limits');
    }
  } else {
    method = 'dawid-skene';
    fit = fitMethod(session, ratings, 'dawid-skene', undefined);
    chosen = chooseLabels(session, fit, ratings.items.length).chosen;
    notes.push(`${input} has no aggregate yet: judged against a ` +
      'Dawid-Skene fit made here (aggregate ... using dawid-skene keeps ' +
      'one as a table)');
  }

  const quality = workerQuality(ratings, chosen, fit);
  const rows = quality.map((q) => ({
    worker: ratings.workers[q.worker],
    items: q.items,
    ratings: q.ratings,
    agreement: q.agreement,
    kappa: q.kappa,
    accuracy: q.accuracy,
    below_chance: q.belowChance,
  }));
  const flagged = rows.filter((row) => row.below_chance);
  if (flagged.length) {
    notes.push(`below chance (kappa with the aggregate under 0): ` +
      flagged.slice(0, 10).map((r) => JSON.stringify(String(r.worker)))
        .join(', ') + (flagged.length > 10 ? ', ...' : ''));
  }
  notes.push('agreement: share of the worker\'s ratings equal to the ' +
    'aggregate label; kappa: Cohen\'s kappa between worker and aggregate; ' +
    'accuracy: Dawid-Skene estimate of Pr(the worker gives the true label)');

  if (statement.output) {
    session.setTable(statement.output.name, makeTable([
      ['worker', toColumn(rows.map((r) => r.worker ?? null),
        ratings.workerType)],
      ['items', Float64Array.from(rows, (r) => r.items)],
      ['ratings', Float64Array.from(rows, (r) => r.ratings)],
      ['agreement', Float64Array.from(rows, (r) => r.agreement)],
      ['kappa', Float64Array.from(rows, (r) => r.kappa ?? NaN)],
      ['accuracy', Float64Array.from(rows, (r) => r.accuracy ?? NaN)],
      ['below_chance', rows.map((r) => r.below_chance)],
    ]));
  }

  const meanAgreement = rows.reduce((a, r) => a + r.agreement, 0) /
    rows.length;
  return {
    kind: 'workers',
    table: input,
    message: `workers of ${input}: ${plural(rows.length, 'worker')} ` +
      `against ${method}; mean agreement ${meanAgreement.toFixed(3)}; ` +
      `${count(flagged.length)} below chance`,
    summary: {
      workers: rows.length,
      method,
      mean_agreement: meanAgreement,
      below_chance: flagged.length,
    },
    columns: ['worker', 'items', 'ratings', 'agreement', 'kappa',
      'accuracy', 'below_chance'],
    rows,
    confusion: {
      labels: ratings.labels,
      rows: 'true label',
      columns: 'label given',
      workers: quality.map((q) => ({
        worker: ratings.workers[q.worker],
        matrix: confusionMatrix(fit, q.worker),
      })),
    },
    notes,
  };
});

defineTextRenderer('workers', (result, options) => {
  const parts = [renderDefault({ ...result, notes: [] }, options)];
  // The confusion matrices of flagged workers, a few at most.
  const confusion = result['confusion'] as {
    labels: unknown[];
    workers: { worker: unknown; matrix: number[][] }[];
  };
  const flagged = new Set((result.rows ?? [])
    .filter((row) => row['below_chance'])
    .map((row) => String(row['worker'])));
  for (const entry of confusion.workers) {
    if (!flagged.has(String(entry.worker))) continue;
    parts.push(`confusion of worker ${String(entry.worker)} ` +
      '(rows: true label, columns: label given):');
    const columns = ['truth', ...confusion.labels.map(String)];
    const rows = entry.matrix.map((row, i) => Object.fromEntries([
      ['truth', String(confusion.labels[i])],
      ...row.map((p, j) => [String(confusion.labels[j]), p]),
    ]));
    parts.push(formatTable(columns, rows, { ...options,
      totalRows: rows.length }));
    if (parts.length > 7) break;
  }
  return [...parts, ...notesText(result, options.width)].join('\n');
});
