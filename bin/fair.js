#!/usr/bin/env node
// The `fair` command. The TypeScript sources are compiled into dist/ when
// the package is installed (npm's "prepare" step).

import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'fair: the compiled program is missing; run "npm install" (or ' +
    '"npm run build") in the fairlang folder first.\n');
  process.exit(2);
}

const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
