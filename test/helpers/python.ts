// Peer tools for test fixtures: pandas, scikit-learn, imbalanced-learn and
// PyTorch come from Debian's packages, which live with /usr/bin/python3
// (the python3 first on PATH may be another installation without them).

import { execFileSync } from 'node:child_process';

export const python = '/usr/bin/python3';

/** Run a Python program and parse what it prints as JSON. */
export function pythonJson<T = unknown>(program: string, args: string[] = [])
: T {
  const output = execFileSync(python, ['-c', program, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return JSON.parse(output) as T;
}
