// Chevrotain, loaded from the single-file bundle its package ships.
//
// The package's entry point loads lodash-es as hundreds of small modules,
// which costs about 0.7 s before Fair can parse a line; the bundle holds
// the same code in one file and loads in a few milliseconds. Every part
// of Fair takes Chevrotain from here, so there is only one copy of it.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

const require = createRequire(import.meta.url);
const bundle = join(dirname(require.resolve('chevrotain')), '..',
  'chevrotain.mjs');
const chevrotain = await import(pathToFileURL(bundle).href) as
  typeof Chevrotain;

export const { createToken, EOF } = chevrotain;
export const Lexer = chevrotain.Lexer;
export type Lexer = Chevrotain.Lexer;
export const CstParser = chevrotain.CstParser;
export type CstParser = Chevrotain.CstParser;
export type {
  CstElement, CstNode, IOrAlt, IRecognitionException, IToken, ParserMethod,
  TokenType,
} from 'chevrotain';
