// The library: the session that runs Fair, the language's parser and
// checker for tools that want them, and `fair` for notebooks.

export { Session } from './runtime/session.js';
export type {
  Outcome, RunReport, CheckReport, SessionOptions, ProgressSink,
} from './runtime/session.js';
export type { Result } from './runtime/result.js';
export { renderText } from './runtime/render/text.js';
export { parse } from './lang/parser.js';
export { formatDiagnostic, type Diagnostic } from './lang/diagnostics.js';

// Notebooks (tslab): `await fair\`audit by afam\`` in a cell.
export {
  fair, createFair, FairCellError, FairName, vegaLiteMime,
} from './notebook/index.js';
export type { Fair, FairOptions, Channel, MimeBundle }
  from './notebook/index.js';
