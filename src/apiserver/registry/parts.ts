import type { BuiltinSchemas, Patcher, Publisher, Validator } from '../contracts.js';
import { publisher } from '../discovery/publisher.js';
import { patcher } from '../patch/index.js';
import { loadBuiltinSchemas } from '../schema/index.js';
import { validator } from '../validation/index.js';

/**
 * The pluggable parts of the API server (patch, schema, validation, publish), each built by its
 * own module against contracts.ts. Every field is optional so a server (or a test) can run with a
 * part left out of the pipeline (e.g. no validation): the core works on its own.
 */
export interface Parts {
  schemas?: BuiltinSchemas;
  patcher?: Patcher;
  validator?: Validator;
  publisher?: Publisher;
}

let loaded: Promise<Parts> | undefined;

/** Loads the parts once per process (the swagger schemas are big); every virtual cluster shares them. */
export function loadParts(): Promise<Parts> {
  loaded ??= Promise.resolve({ schemas: loadBuiltinSchemas(), patcher, validator, publisher });
  return loaded;
}
