// The statement families, composed into one grammar. A family adds its
// statements' grammar as a mixin and registers builders and checkers when
// its module loads; adding a family means adding its mixin to the list.

import type { ParserBase } from '../grammar.js';
import { auditGrammar } from './audit.js';
import { crowdGrammar } from './crowd.js';
import { dataGrammar } from './data.js';
import { imagesGrammar } from './images.js';
import { modelGrammar } from './model.js';
import { outputGrammar } from './output.js';
import { repairGrammar } from './repair.js';

type Mixin = <B extends ParserBase>(Base: B) => B;

const mixins: Mixin[] = [
  dataGrammar,
  crowdGrammar,
  repairGrammar,
  auditGrammar,
  outputGrammar,
  modelGrammar,
  // After modelGrammar: `train cnn` reuses the model clause rules.
  imagesGrammar,
];

export function families<B extends ParserBase>(Base: B): B {
  return mixins.reduce<B>((composed, mixin) => mixin(composed), Base);
}
