// The statement families, composed into one grammar. A family adds its
// statements' grammar as a mixin and registers builders and checkers when
// its module loads; adding a family means adding it here.

import type { ParserBase } from '../grammar.js';
import { dataGrammar } from './data.js';

export function families<B extends ParserBase>(Base: B): B {
  return dataGrammar(Base);
}
