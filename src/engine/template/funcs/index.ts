/**
 * The function maps: sprig (`sprigFuncs`), Helm's engine functions (`helmFuncs`) and libsveltos'
 * SveltosFuncMap plus addon-controller's extras (`sveltosFuncs`).
 */

import type { FuncMap } from '../funcs-api.js';
import { cryptoFuncs } from './crypto.js';
import { dateFuncs } from './dates.js';
import { dictFuncs } from './dicts.js';
import { helmEncodingFuncs, sprigEncodingFuncs } from './encoding.js';
import { generalFuncs } from './general.js';
import { helmOnlyFuncs } from './helm.js';
import { listFuncs } from './lists.js';
import { mathFuncs } from './math.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { stringFuncs } from './strings.js';
import { sveltosOnlyFuncs } from './sveltos.js';

/** sprig's TxtFuncMap (all sprig functions; Go's builtins are the engine's). */
export function sprigFuncs(): FuncMap {
  return {
    ...generalFuncs(),
    ...stringFuncs(),
    ...mathFuncs(),
    ...listFuncs(),
    ...dictFuncs(),
    ...sprigEncodingFuncs(),
    ...cryptoFuncs(),
    ...regexFuncs(),
    ...semverFuncs(),
    ...dateFuncs(),
  };
}

/** Helm's funcMap(): sprig minus env/expandenv, plus toYaml & co, include, tpl, required, lookup. */
export function helmFuncs(): FuncMap {
  const m: FuncMap = { ...sprigFuncs(), ...helmEncodingFuncs(), ...helmOnlyFuncs() };
  delete m.env;
  delete m.expandenv;
  return m;
}

/**
 * libsveltos SveltosFuncMap (sprig + YAML/JSON/TOML helpers) plus addon-controller's resource
 * functions. Reference-name templates (policyRefs names, valuesFrom names...) get the map without
 * the resource functions: pass `{ resourceFunctions: false }`.
 */
export function sveltosFuncs(opts: { resourceFunctions?: boolean } = {}): FuncMap {
  const enc = helmEncodingFuncs();
  delete enc.toYamlPretty;
  delete enc.mustToYaml;
  delete enc.mustToToml;
  return { ...sprigFuncs(), ...enc, ...(opts.resourceFunctions === false ? {} : sveltosOnlyFuncs()) };
}
