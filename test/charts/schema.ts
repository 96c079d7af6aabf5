// The Vega-Lite JSON schema shipped in the vega-lite package, compiled
// once with ajv. Formats the schema names are given plain checks: ajv
// knows none of them without the ajv-formats package.

import { Ajv, type ErrorObject } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const vegaLiteBuild = dirname(require.resolve('vega-lite'));
export const schemaFile = join(vegaLiteBuild, 'vega-lite-schema.json');

let validator: ((spec: unknown) => ErrorObject[]) | undefined;

/** The schema's errors for a spec; [] when it is valid. */
export function schemaErrors(spec: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ strict: false, allErrors: false });
    ajv.addFormat('uri', (text: string) => URL.canParse(text));
    ajv.addFormat('uri-reference', true);
    ajv.addFormat('color-hex', /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
    validator = (spec) => (validate(spec) ? [] : [...(validate.errors ?? [])]);
  }
  return validator(spec);
}
