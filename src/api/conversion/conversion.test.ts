import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import {
  ConversionError,
  converterFor,
  formatSelector,
  parseSelectorString,
  STASH_ANNOTATION,
  SelectorSyntaxError,
  sveltosSelectorKinds,
  toHubVersion,
  V1ALPHA1_TEMPLATE_ANNOTATION,
} from './index.js';

const seedPath = new URL(
  import.meta.url.includes('/dist/')
    ? '../../../../src/controllers/event/testdata/seed-004-v1alpha1.yaml'
    : '../../controllers/event/testdata/seed-004-v1alpha1.yaml',
  import.meta.url,
);

type Obj = Record<string, any>;
const trigger = converterFor('lib.projectsveltos.io', 'EventTrigger')!;

describe('selector strings', () => {
  it('maps every operator (sorted by key, like metav1.ParseToLabelSelector)', () => {
    assert.deepEqual(parseSelectorString('g, !h, a=1, b==2, c!=3, d in (y,x,y), e notin (z), f'), {
      matchLabels: { a: '1', b: '2' },
      matchExpressions: [
        { key: 'c', operator: 'NotIn', values: ['3'] },
        { key: 'd', operator: 'In', values: ['x', 'y'] },
        { key: 'e', operator: 'NotIn', values: ['z'] },
        { key: 'f', operator: 'Exists' },
        { key: 'g', operator: 'Exists' },
        { key: 'h', operator: 'DoesNotExist' },
      ],
    });
    assert.deepEqual(parseSelectorString('  '), {});
    assert.deepEqual(parseSelectorString('example.com/tier=a-b.c_d,x='), {
      matchLabels: { 'example.com/tier': 'a-b.c_d', x: '' },
    });
    assert.deepEqual(parseSelectorString('constructor=x'), { matchLabels: { constructor: 'x' } });
  });

  it('writes the canonical string back', () => {
    const text = 'a=1,b=2,c notin (3),d in (x,y),e notin (z),f,!h';
    assert.equal(formatSelector(parseSelectorString(text)), text);
    assert.equal(formatSelector(parseSelectorString('c!=3')), 'c notin (3)');
    assert.equal(formatSelector({}), '');
    assert.equal(
      formatSelector({ matchExpressions: [{ key: 'z', operator: 'Exists' }], matchLabels: { a: 'b' } }),
      'a=b,z',
    );
  });

  it('rejects bad text with the offset and the reason', () => {
    const cases: [string, RegExp][] = [
      ['a in (', /expected "," or "\)"|empty/],
      ['a in ()', /empty/],
      ['a>3', /cannot be expressed/],
      ['a=b c', /expected ","/],
      ['-a=b', /label key/],
      ['a=b!', /expected ","|label value/],
      ['a=' + 'x'.repeat(64), /label value/],
      ['a,,b', /expected a label key/],
      ['a in x', /expected "\("/],
    ];
    for (const [text, re] of cases)
      assert.throws(
        () => parseSelectorString(text),
        (e: unknown) => e instanceof SelectorSyntaxError && re.test(e.message),
        text,
      );
  });

  it('rejects LabelSelectors a string cannot hold', () => {
    assert.throws(
      () => formatSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
      /Gt/,
    );
    assert.throws(() => formatSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }), /at least one/);
  });
});

describe('v1alpha1 ↔ v1beta1', () => {
  it('converts the seed EventSource/EventTrigger (string selectors → LabelSelector)', () => {
    const docs = parseAllDocuments(readFileSync(seedPath, 'utf8')).map((d) => d.toJS()) as Obj[];
    assert.equal(
      converterFor('lib.projectsveltos.io', 'EventSource'),
      undefined,
      'EventSource: None strategy',
    );
    const et = trigger.convert(docs[1], 'v1beta1') as Obj;
    assert.equal(et.apiVersion, 'lib.projectsveltos.io/v1beta1');
    assert.deepEqual(et.spec.sourceClusterSelector, { matchLabels: { env: 'production' } });
    assert.deepEqual(et.spec.destinationClusterSelector, { matchLabels: { dep: 'eng' } });
    assert.equal(et.spec.eventSourceName, 'load-balancer-service');
    assert.equal(et.spec.oneForEvent, true);
    assert.deepEqual(et.spec.policyRefs, docs[1].spec.policyRefs);
    assert.equal(et.metadata.annotations[V1ALPHA1_TEMPLATE_ANNOTATION], 'instantiate');
    // The input is not mutated; back to v1alpha1 is the original.
    assert.equal(docs[1].spec.sourceClusterSelector, 'env=production');
    assert.deepEqual(trigger.convert(et, 'v1alpha1'), docs[1]);
  });

  it('round-trips every kind both ways, keeping what a string cannot hold in an annotation', () => {
    for (const k of sveltosSelectorKinds) {
      const c = converterFor(k.group, k.kind)!;
      const hub: Obj = {
        apiVersion: `${k.group}/v1beta1`,
        kind: k.kind,
        metadata: { name: 'x', namespace: 'ns', annotations: { keep: 'me' } },
        spec: Object.fromEntries(
          k.fields.map((f) => [
            f,
            {
              matchExpressions: [
                { key: 'z', operator: 'In', values: ['b', 'a'] },
                { key: 'a', operator: 'Exists' },
              ],
            },
          ]),
        ),
      };
      const spoke = c.convert(hub, 'v1alpha1') as Obj;
      assert.equal(spoke.apiVersion, `${k.group}/v1alpha1`);
      for (const f of k.fields) assert.equal(spoke.spec[f], 'a,z in (a,b)', `${k.kind}.${f}`);
      assert.ok(spoke.metadata.annotations[STASH_ANNOTATION], k.kind);
      const back = c.convert(spoke, 'v1beta1') as Obj;
      if (k.kind === 'EventTrigger') delete back.metadata.annotations[V1ALPHA1_TEMPLATE_ANNOTATION];
      assert.deepEqual(back, hub, k.kind);

      // A changed string wins over the stash.
      const edited = structuredClone(spoke);
      edited.spec[k.fields[0]] = 'env=prod';
      assert.deepEqual((c.convert(edited, 'v1beta1') as Obj).spec[k.fields[0]], {
        matchLabels: { env: 'prod' },
      });

      // Canonical selectors need no stash, whatever the key order.
      const reordered = c.convert(
        {
          ...hub,
          spec: {
            [k.fields[0]]: {
              matchExpressions: [{ key: 'b', operator: 'Exists' }],
              matchLabels: { z: '1', a: '2' },
            },
          },
        },
        'v1alpha1',
      ) as Obj;
      assert.equal(reordered.spec[k.fields[0]], 'a=2,b,z=1');
      assert.deepEqual(reordered.metadata.annotations, { keep: 'me' }, k.kind);
      const plain = c.convert(
        { ...hub, spec: { [k.fields[0]]: { matchLabels: { a: 'b' } } } },
        'v1alpha1',
      ) as Obj;
      assert.deepEqual(plain.metadata.annotations, { keep: 'me' }, k.kind);
    }
  });

  it('names the object, field and bad text', () => {
    const et = {
      apiVersion: 'lib.projectsveltos.io/v1alpha1',
      kind: 'EventTrigger',
      metadata: { name: 'x' },
      spec: { sourceClusterSelector: 'env=prod', destinationClusterSelector: 'a in (' },
    };
    assert.throws(
      () => trigger.convert(et, 'v1beta1'),
      (e: unknown) =>
        e instanceof ConversionError &&
        e.field === 'spec.destinationClusterSelector' &&
        e.value === 'a in (' &&
        /EventTrigger "x": spec\.destinationClusterSelector: invalid label selector "a in \(" at character 7/.test(
          e.message,
        ),
    );
  });

  it('toHubVersion normalises string selectors stored in a v1beta1 object, leaves others alone', () => {
    const stored = {
      apiVersion: 'config.projectsveltos.io/v1beta1',
      kind: 'ClusterProfile',
      metadata: { name: 'p' },
      spec: { clusterSelector: 'env in (a,b)' },
    };
    assert.deepEqual((toHubVersion(stored) as Obj).spec.clusterSelector, {
      matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }],
    });
    assert.equal((toHubVersion(stored) as Obj).metadata.annotations, undefined);
    const storedEt = { ...stored, apiVersion: 'lib.projectsveltos.io/v1beta1', kind: 'EventTrigger' };
    assert.deepEqual(
      (toHubVersion({ ...storedEt, spec: { sourceClusterSelector: 'a=b' } }) as Obj).metadata,
      {
        name: 'p',
        annotations: { [V1ALPHA1_TEMPLATE_ANNOTATION]: 'instantiate' },
      },
    );
    const hub = { ...storedEt, spec: { sourceClusterSelector: { matchLabels: { a: 'b' } } } };
    assert.equal(toHubVersion(hub), hub, 'nothing to convert: the same object');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap' };
    assert.equal(toHubVersion(cm), cm);
  });
});
