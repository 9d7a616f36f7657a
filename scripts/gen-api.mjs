#!/usr/bin/env node
// Generates src/api/generated/*.ts from the Sveltos CRD schemas (assets/sveltos/crds.yaml).
// Usage: node scripts/gen-api.mjs          write the files
//        node scripts/gen-api.mjs --check  exit 1 (and name the files) when they are out of date
//
// Every object schema with properties becomes a named interface. Structurally identical schemas
// (same properties, types, enums, required lists and defaults; descriptions ignored) share one
// name, chosen from the property names they appear under (see PREFERRED) so that e.g. every
// corev1.ObjectReference is `ObjectReference` and every label selector is `LabelSelector`.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const crdPath = join(root, 'assets/sveltos/crds.yaml');
const outDir = join(root, 'src/api/generated');
const LINE = 110;

// Derived name -> name to use for the structure it names (first match in this order wins).
const PREFERRED = [
  ['KustomizationRef/RemoteURL', 'RemoteKustomizeURL'],
  ['ClusterPromotionSpec/ProfileSpec', 'PromotionProfileSpec'],
  ['Options', 'HelmOptions'],
  ['ReadinessCheck', 'ClusterCheck'],
  ['LivenessCheck/ResourceSelector', 'ResourceSelector'],
  ['ConfigMapGenerator', 'GeneratorReference'],
  ['ClusterRef', 'ObjectReference'],
  ['MatchingCluster', 'ObjectReference'],
  ['ClusterSelector', 'LabelSelector'],
  ['Selector', 'LabelSelector'],
  ['MatchExpression', 'LabelSelectorRequirement'],
  ['PolicyRef', 'PolicyRef'],
  ['HelmChart', 'HelmChart'],
  ['KustomizationRef', 'KustomizationRef'],
  ['TemplateResourceRef', 'TemplateResourceRef'],
  ['ValuesFrom', 'ValueFrom'],
  ['DriftExclusion', 'DriftExclusion'],
  ['Patch', 'Patch'],
  ['Target', 'PatchSelector'],
  ['FeatureSummary', 'FeatureSummary'],
  ['ResourceSelector', 'ResourceSelector'],
  ['LabelFilter', 'LabelFilter'],
  ['EvaluateCEL', 'CELRule'],
  ['ValidateHealth', 'ValidateHealth'],
  ['PreDeployCheck', 'ValidateHealth'],
  ['ClusterInfo', 'ClusterInfo'],
  ['ResourceReport', 'ResourceReport'],
];

function pascal(s) {
  const clean = s.replace(/[^A-Za-z0-9]+(.)/g, (_m, c) => c.toUpperCase());
  return clean.charAt(0).toUpperCase() + clean.slice(1);
}

function singular(s) {
  if (/ies$/.test(s)) return s.slice(0, -3) + 'y';
  if (/(ss|us)$/.test(s)) return s;
  if (/(sses|xes|ches|shes|uses)$/.test(s)) return s.slice(0, -2);
  if (/s$/.test(s) && !/(Status|Data|CEL)$/i.test(s)) return s.slice(0, -1);
  return s;
}

/** A description-free, key-sorted copy: the structural identity of a schema. */
function canonical(schema) {
  if (Array.isArray(schema)) return schema.map(canonical);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  for (const k of Object.keys(schema).sort()) {
    if (k === 'description' || k === 'x-kubernetes-validations') continue;
    out[k] = canonical(schema[k]);
  }
  return out;
}

const isObjectWithProps = (s) => s && s.type === 'object' && s.properties && Object.keys(s.properties).length;

function loadCrds(text) {
  const crds = [];
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
    crds.push({
      kind: crd.spec.names.kind,
      plural: crd.spec.names.plural,
      group: crd.spec.group,
      version: version.name,
      namespaced: crd.spec.scope === 'Namespaced',
      schema: version.schema.openAPIV3Schema,
    });
  }
  return crds.sort((a, b) => a.kind.localeCompare(b.kind));
}

/** Pass 1: every object structure, the names it appears under and its first description. */
function collect(crds) {
  const structs = new Map(); // key -> { schema, hints: Map<name, count>, forced?, kinds: Set }
  const visit = (schema, hint, kind, forced, parent = '') => {
    if (!schema || typeof schema !== 'object') return;
    if (schema.type === 'array') return visit(schema.items, singular(hint), kind, undefined, parent);
    if (
      schema.type === 'object' &&
      schema.additionalProperties &&
      typeof schema.additionalProperties === 'object'
    )
      return visit(schema.additionalProperties, hint, kind, undefined, parent);
    if (!isObjectWithProps(schema)) return;
    const key = JSON.stringify(canonical(schema));
    let s = structs.get(key);
    if (!s) structs.set(key, (s = { key, schema, hints: new Map(), paths: new Set(), kinds: new Set() }));
    s.kinds.add(kind);
    if (forced) s.forced ??= forced;
    s.hints.set(hint, (s.hints.get(hint) ?? 0) + 1);
    if (parent) s.paths.add(`${parent}/${hint}`);
    for (const [p, sub] of Object.entries(schema.properties)) visit(sub, pascal(p), kind, undefined, hint);
  };
  for (const crd of crds) {
    const props = crd.schema.properties ?? {};
    if (props.spec) visit(props.spec, `${crd.kind}Spec`, crd.kind, `${crd.kind}Spec`);
    if (props.status) visit(props.status, `${crd.kind}Status`, crd.kind, `${crd.kind}Status`);
  }
  return structs;
}

/** Pass 2: one unique name per structure. */
function nameStructs(structs, crdKinds) {
  const taken = new Set(crdKinds);
  const list = [...structs.values()];
  const choose = (s) => {
    if (s.forced) return s.forced;
    for (const [from, to] of PREFERRED) if (s.hints.has(from) || s.paths.has(from)) return to;
    return [...s.hints.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  };
  // Forced and preferred names first, then the rest by how often they occur (most used keeps the bare name).
  const rank = (s) => (s.forced ? 0 : PREFERRED.some(([f]) => s.hints.has(f) || s.paths.has(f)) ? 1 : 2);
  const total = (s) => [...s.hints.values()].reduce((a, b) => a + b, 0);
  list.sort((a, b) => rank(a) - rank(b) || total(b) - total(a) || a.key.localeCompare(b.key));
  for (const s of list) {
    let name = choose(s);
    if (taken.has(name)) {
      const owner = [...s.kinds].sort()[0];
      name = name.startsWith(owner) ? name : `${owner}${name}`;
      for (let i = 2; taken.has(name); i++) name = `${choose(s)}${i}`;
    }
    taken.add(name);
    s.name = name;
  }
}

function doc(text, indent) {
  if (!text) return [];
  let first = String(text)
    .split(/\n\s*\n/)[0]
    .replace(/\s+/g, ' ')
    .trim();
  if (first.length > 300) first = first.slice(0, 297).replace(/\s\S*$/, '') + ' ...';
  first = first.replace(/\*\//g, '*\\/');
  return [`${indent}/** ${first} */`];
}

function tsType(schema, structs) {
  if (!schema || typeof schema !== 'object') return 'unknown';
  if (schema['x-kubernetes-int-or-string']) return 'number | string';
  if (Array.isArray(schema.enum) && schema.enum.length) {
    return schema.enum.map((v) => (typeof v === 'string' ? quote(v) : JSON.stringify(v))).join(' | ');
  }
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const inner = tsType(schema.items, structs);
      return /[ |]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case 'object': {
      if (isObjectWithProps(schema)) return structs.get(JSON.stringify(canonical(schema))).name;
      const ap = schema.additionalProperties;
      if (ap && typeof ap === 'object') return `Record<string, ${tsType(ap, structs)}>`;
      return 'Record<string, unknown>';
    }
    default:
      return 'unknown';
  }
}

function quote(s) {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function propName(p) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p) ? p : quote(p);
}

function property(indent, name, optional, type) {
  const head = `${indent}${propName(name)}${optional ? '?' : ''}:`;
  const line = `${head} ${type};`;
  if (line.length <= LINE || !type.includes(' | ') || type.includes('(')) return [line];
  const parts = type.split(' | ');
  return [head, ...parts.map((p, i) => `${indent}  | ${p}${i === parts.length - 1 ? ';' : ''}`)];
}

function emitStruct(s, structs) {
  const lines = [...doc(s.schema.description, ''), `export interface ${s.name} {`];
  const required = new Set(s.schema.required ?? []);
  for (const [p, sub] of Object.entries(s.schema.properties)) {
    const d = doc(sub.description, '  ');
    if (sub.default !== undefined) {
      const def = JSON.stringify(sub.default);
      if (d.length) d[0] = d[0].replace(/ \*\/$/, ` (default ${def.replace(/\*\//g, '*\\/')}) */`);
      else d.push(`  /** Default ${def}. */`);
    }
    lines.push(...d, ...property('  ', p, !required.has(p), tsType(sub, structs)));
  }
  lines.push('}');
  return lines.join('\n');
}

function kebab(s) {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

const HEADER = '// Generated by scripts/gen-api.mjs from assets/sveltos/crds.yaml. Do not edit.\n';

/** Returns the generated files: relative name -> content. */
export function generate(text) {
  const crds = loadCrds(text);
  const structs = collect(crds);
  nameStructs(
    structs,
    crds.map((c) => c.kind),
  );
  const files = new Map();
  // Shared structures (used by more than one kind) live in shared.ts; the rest beside their kind.
  const byFile = new Map();
  for (const s of structs.values()) {
    const file = s.kinds.size > 1 ? 'shared' : kebab([...s.kinds][0]);
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push(s);
  }
  const fileOf = new Map();
  for (const [file, list] of byFile) for (const s of list) fileOf.set(s.name, file);
  const render = (file, list, extra) => {
    list.sort((a, b) => a.name.localeCompare(b.name));
    const body = [...list.map((s) => emitStruct(s, structs)), ...extra].join('\n\n');
    const used = new Map();
    const code = body
      .split('\n')
      .filter((l) => !l.trimStart().startsWith('/**'))
      .join('\n');
    for (const m of code.matchAll(/\b([A-Z][A-Za-z0-9]*)\b/g)) {
      const f = fileOf.get(m[1]);
      if (f && f !== file && !list.some((s) => s.name === m[1])) {
        if (!used.has(f)) used.set(f, new Set());
        used.get(f).add(m[1]);
      }
    }
    if (/\bObjectMeta\b/.test(code)) used.set('../meta', new Set(['ObjectMeta']));
    const imports = [...used.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([f, names]) => {
        const from = f.startsWith('..') ? `${f}.js` : `./${f}.js`;
        const one = `import type { ${[...names].sort().join(', ')} } from '${from}';`;
        if (one.length <= LINE) return one;
        return `import type {\n${[...names]
          .sort()
          .map((n) => `  ${n},\n`)
          .join('')}} from '${from}';`;
      });
    return `${HEADER}${imports.length ? `${imports.join('\n')}\n` : ''}\n${body}\n`;
  };
  for (const crd of crds) {
    const file = kebab(crd.kind);
    const props = crd.schema.properties ?? {};
    const rootLines = [
      ...doc(crd.schema.description, ''),
      `export type ${crd.kind} = {`,
      `  apiVersion?: '${crd.group}/${crd.version}';`,
      `  kind?: '${crd.kind}';`,
      '  metadata?: ObjectMeta;',
    ];
    const required = new Set(crd.schema.required ?? []);
    for (const p of ['spec', 'status']) {
      if (!props[p]) continue;
      rootLines.push(...property('  ', p, !required.has(p), tsType(props[p], structs)));
    }
    rootLines.push('};');
    const list = byFile.get(file) ?? [];
    byFile.delete(file);
    files.set(`${file}.ts`, render(file, list, [rootLines.join('\n')]));
  }
  const shared = byFile.get('shared') ?? [];
  byFile.delete('shared');
  if (byFile.size) throw new Error(`structures without a file: ${[...byFile.keys()].join(', ')}`);
  files.set('shared.ts', render('shared', shared, []));
  const index = [...files.keys()].sort().map((f) => `export type * from './${f.replace(/\.ts$/, '.js')}';`);
  files.set('index.ts', `${HEADER}${index.join('\n')}\n`);
  // Resource metadata of every kind (for GVK constants and tests).
  const meta = crds.map((c) =>
    [
      `  ${c.kind}: {`,
      `    group: '${c.group}',`,
      `    version: '${c.version}',`,
      `    kind: '${c.kind}',`,
      `    plural: '${c.plural}',`,
      `    namespaced: ${c.namespaced},`,
      '  },',
    ].join('\n'),
  );
  files.set(
    'resources.ts',
    `${HEADER}\n/** Group, version, plural and scope of every Sveltos kind, from the CRDs. */\nexport const sveltosResources = {\n${meta.join('\n')}\n} as const;\n\nexport type SveltosKind = keyof typeof sveltosResources;\n`,
  );
  return files;
}

function main() {
  const files = generate(readFileSync(crdPath, 'utf8'));
  const check = process.argv.includes('--check');
  const stale = [];
  let existing = [];
  try {
    existing = readdirSync(outDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  } catch {
    existing = [];
  }
  for (const f of existing) if (!files.has(f)) stale.push(`${f} (no longer generated)`);
  for (const [f, content] of files) {
    let old;
    try {
      old = readFileSync(join(outDir, f), 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== content) stale.push(f);
  }
  if (check) {
    if (stale.length) {
      console.error(`src/api/generated is out of date (${stale.join(', ')}): run node scripts/gen-api.mjs`);
      process.exit(1);
    }
    return;
  }
  mkdirSync(outDir, { recursive: true });
  for (const f of existing) if (!files.has(f)) rmSync(join(outDir, f));
  for (const [f, content] of files) writeFileSync(join(outDir, f), content);
  console.log(`wrote ${files.size} files to src/api/generated (${stale.length} changed)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
