export { converterFor, registerConverter, toHubVersion } from './registry.js';
export {
  ConversionError,
  STASH_ANNOTATION,
  type SelectorKindSpec,
  selectorKindConverter,
  sveltosSelectorKinds,
  V1ALPHA1_TEMPLATE_ANNOTATION,
  type VersionConverter,
} from './selector-kinds.js';
export {
  formatSelector,
  labelKeyProblem,
  labelValueProblem,
  parseSelectorString,
  SelectorSyntaxError,
} from './selector-string.js';
