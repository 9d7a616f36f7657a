import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { KubeObject } from '../contracts.js';
import { validator } from './index.js';
import { builtinType, sveltosTypes } from './test-support.js';

const types = [...sveltosTypes().values()];
const builtins = [
  builtinType('', 'v1', 'Service'),
  builtinType('apps', 'v1', 'Deployment'),
  builtinType('', 'v1', 'Secret'),
  builtinType('batch', 'v1', 'Job'),
];

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -5, max: 70000 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'spec', 'kind', 'ports', 'port', 'containers', 'x', 'helmCharts'),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

test('defaultAndPrune + validate never throw, and defaultAndPrune is idempotent', () => {
  fc.assert(
    fc.property(fc.nat(types.length + builtins.length - 1), json, json, (i, spec, status) => {
      const rt = i < types.length ? types[i] : builtins[i - types.length];
      const obj: KubeObject = {
        apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version,
        kind: rt.kind,
        metadata: { name: 'x', namespace: 'default' },
        spec,
        status,
      };
      validator.defaultAndPrune(rt, obj);
      const once = JSON.stringify(obj);
      if (!rt.builtin) assert.deepEqual(validator.defaultAndPrune(rt, obj), []);
      else validator.defaultAndPrune(rt, obj);
      assert.equal(JSON.stringify(obj), once);
      const errs = validator.validate(rt, obj, undefined);
      for (const e of errs) assert.ok(e.message.length > 0 && typeof e.field === 'string');
      validator.validate(rt, obj, structuredClone(obj));
    }),
    { numRuns: 300, seed: 42 },
  );
});
