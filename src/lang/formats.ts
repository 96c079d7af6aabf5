// Data file formats, and the names Fair gives tables loaded from files.

export const tableFormats = ['csv', 'tsv', 'json', 'jsonl', 'arrow'] as const;
export type TableFormat = (typeof tableFormats)[number];

const extensions: Record<string, TableFormat> = {
  csv: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  arrow: 'arrow',
  arrows: 'arrow',
  feather: 'arrow',
  ipc: 'arrow',
};

export function isTableFormat(name: string): name is TableFormat {
  return (tableFormats as readonly string[]).includes(name);
}

/** True when the path names a gzip-compressed file. */
export function isGzipped(path: string): boolean {
  return /\.gz$/i.test(path);
}

/** The format a file name implies (`data.csv.gz` is csv), if any. */
export function formatFromPath(path: string): TableFormat | undefined {
  const name = path.replace(/\.gz$/i, '');
  const match = /\.([A-Za-z0-9]+)$/.exec(name);
  return match ? extensions[match[1]!.toLowerCase()] : undefined;
}

/** A table name from a file name: `data/pima-2.csv.gz` gives `pima_2`. */
export function tableNameFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.gz$/i, '').replace(/\.[^.]*$/, '');
  const cleaned = stem.replace(/[^A-Za-z0-9_]/g, '_') || 'table';
  return /^[0-9]/.test(cleaned) ? `t_${cleaned}` : cleaned;
}
