// The `fair` command run from the TypeScript sources through tsx, for the
// terminal test: `node --import tsx test/repl/fair-from-source.ts ARGS`.

import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
