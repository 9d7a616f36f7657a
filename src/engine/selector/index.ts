export { SelectorError } from './errors.js';
export {
  escapeFieldValue,
  type FieldGetter,
  type FieldOperator,
  type FieldRequirement,
  FieldSelector,
  fieldSelectorFromSet,
  type ParseFieldSelectorOptions,
  parseFieldSelector,
  splitFieldTerm,
  splitFieldTerms,
  unescapeFieldValue,
} from './field-selector.js';
export { lex, Tok, type Token } from './label-parser.js';
export {
  cachedLabelSelector,
  type FromObjectOptions,
  LabelSelector,
  type LabelSelectorObject,
  type LabelSelectorRequirementObject,
  type Labels,
  labelSelectorFromObject,
  parseLabelSelector,
  selectorFromSet,
  validatedSelectorFromSet,
  validateLabelSelector,
} from './label-selector.js';
export { builtinFieldLabels, customFieldLabels, objectFieldGetter } from './object-fields.js';
export { newRequirement, type Operator, type Requirement, requirementString } from './requirement.js';
export {
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  type SelectorFieldError,
} from './validation.js';
