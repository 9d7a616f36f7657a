import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../lib/errors.js';
import { parseClusterFlag, parseClusterFlags, parseLabels, parsePort } from './spec.js';

test('--cluster NAME[,key=value...] parses name and labels', () => {
  assert.deepEqual(parseClusterFlag('edge-1,env=prod,example.com/tier=gold'), {
    name: 'edge-1',
    labels: { env: 'prod', 'example.com/tier': 'gold' },
  });
  assert.deepEqual(parseClusterFlag('c1'), { name: 'c1', labels: {} });
  assert.deepEqual(parseClusterFlag('c1,empty='), { name: 'c1', labels: { empty: '' } });
});

test('bad cluster flags are usage errors naming the flag and the fix', () => {
  const cases: [string, RegExp][] = [
    ['Edge_1', /invalid cluster name "Edge_1".*lowercase/],
    ['', /cluster name is empty/],
    ['mgmt', /management cluster's name/],
    ['c1,env', /"env" is not key=value/],
    ['c1,=x', /invalid label key ""/],
    ['c1,env=-x', /invalid value "-x" of label env/],
    ['c1,env=a,env=b', /label env is given twice/],
    [`c1,${'k'.repeat(64)}=v`, /invalid label key/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => parseClusterFlag(text),
      (err: unknown) =>
        err instanceof UsageError && re.test(err.message) && err.message.includes('--cluster'),
      text,
    );
  }
  assert.throws(() => parseClusterFlags(['a', 'b,x=y', 'a,z=w']), /--cluster a is given twice/);
});

test('--labels and --port', () => {
  assert.deepEqual(parseLabels('env=prod, team=a', '--labels'), { env: 'prod', team: 'a' });
  assert.deepEqual(parseLabels('', '--labels'), {});
  assert.throws(() => parseLabels('env', '--labels'), /--labels: "env" is not key=value/);
  assert.equal(parsePort('0', '--port'), 0);
  assert.equal(parsePort('6443', '--port'), 6443);
  for (const bad of ['x', '-1', '65536', '1.5', ''])
    assert.throws(() => parsePort(bad, '--port'), /--port must be an integer between 0 and 65535/);
});
