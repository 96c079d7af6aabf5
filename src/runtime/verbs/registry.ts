// Statement kinds to the functions that run them. Each verb family
// registers its executors when its module loads (see ./index.ts).

import type { Statement, StatementKind } from '../../lang/ast.js';
import type { Result } from '../result.js';
import type { ExecutionContext } from '../session.js';

export type Executor<S extends Statement = Statement> =
  (context: ExecutionContext<S>) => Result | Promise<Result>;

const executors = new Map<string, Executor<never>>();

export function defineExecutor<K extends StatementKind>(
  kind: K,
  executor: Executor<Extract<Statement, { kind: K }>>,
): void {
  executors.set(kind, executor as Executor<never>);
}

export function executorFor(kind: string): Executor {
  const executor = executors.get(kind);
  if (!executor) throw new Error(`no executor registered for "${kind}"`);
  return executor as Executor;
}
