// The library: the session that runs Fair, and the language's parser and
// checker for tools that want them.

export { Session } from './runtime/session.js';
export type {
  Outcome, RunReport, CheckReport, SessionOptions, ProgressSink,
} from './runtime/session.js';
export type { Result } from './runtime/result.js';
export { renderText } from './runtime/render/text.js';
export { parse } from './lang/parser.js';
export { formatDiagnostic, type Diagnostic } from './lang/diagnostics.js';
