/**
 * Label key and value validation worded exactly as `k8s.io/apimachinery/pkg/util/validation`
 * words it, and the field-error rendering of `k8s.io/apimachinery/pkg/util/validation/field`,
 * so that messages returned to kubectl match kube-apiserver's byte for byte.
 */

/** A field-level error; same shape as the API server's `FieldError` contract. */
export interface SelectorFieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden';
  /** Dotted path with indices, e.g. `spec.selector.matchExpressions[0].key`. */
  field: string;
  /** The message body, e.g. `Required value: must be specified ...` or `Invalid value: "x": ...`. */
  message: string;
}

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_RE = new RegExp('^' + QUALIFIED_NAME_FMT + '$');
const QUALIFIED_NAME_MAX = 63;

const LABEL_VALUE_FMT = '(' + QUALIFIED_NAME_FMT + ')?';
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_RE = new RegExp('^' + LABEL_VALUE_FMT + '$');
const LABEL_VALUE_MAX = 63;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + '(\\.' + DNS1123_LABEL_FMT + ')*';
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_RE = new RegExp('^' + DNS1123_SUBDOMAIN_FMT + '$');
const DNS1123_SUBDOMAIN_MAX = 253;

/** `validation.RegexError`, including its double space before each ` or`. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = msg + ' (e.g. ';
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return out + `regex used for validation is '${fmt}')`;
}

export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

const EMPTY_ERROR = 'must be non-empty';

/** Go's `len(s)`: the UTF-8 byte length, which is what kube's length limits count. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(value))
    errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** `validation.IsQualifiedName`: a label key, `[prefix/]name`. Returns the problems found. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part ' + EMPTY_ERROR);
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    errs.push(
      'a qualified name ' +
        regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc') +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return errs;
  }
  if (name.length === 0) errs.push('name part ' + EMPTY_ERROR);
  else if (byteLength(name) > QUALIFIED_NAME_MAX) errs.push('name part ' + maxLenError(QUALIFIED_NAME_MAX));
  if (!QUALIFIED_NAME_RE.test(name)) {
    errs.push(
      'name part ' + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc'),
    );
  }
  return errs;
}

/** `validation.IsValidLabelValue`: empty, or at most 63 characters of `[-A-Za-z0-9_.]` with alphanumeric ends. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!LABEL_VALUE_RE.test(value))
    errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** Go's `%q` of a string: printable text as is, control characters as `\n`, `\x01`, ... */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const esc = GO_ESCAPES[ch];
    if (esc) out += esc;
    else {
      const c = ch.codePointAt(0)!;
      if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else out += ch;
    }
  }
  return out + '"';
}

/** Go's `%#v` of a `[]string` (how kube prints a bad value list). */
export function goStringSlice(vals: readonly string[] | undefined): string {
  if (vals === undefined) return '[]string(nil)';
  return `[]string{${vals.map(goQuote).join(', ')}}`;
}

export function invalid(field: string, badValue: string, detail: string): SelectorFieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${badValue}: ${detail}` };
}

/** `field.Error.Error()`: `<field>: <body>`. */
export function fieldErrorString(e: SelectorFieldError): string {
  return `${e.field}: ${e.message}`;
}

/** `utilerrors.Aggregate.Error()`: one message alone, several as `[a, b]` with duplicates dropped. */
export function aggregateMessage(messages: readonly string[]): string {
  if (messages.length === 1) return messages[0];
  const seen = [...new Set(messages)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}
