import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventKey, parseCloudEvent } from './cloud-event.js';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const good = {
  specversion: '1.0',
  type: 'auth.example.com.login',
  source: 'auth.example.com',
  id: '10001',
  subject: 'mgianluc',
  datacontenttype: 'application/json',
  data: { message: 'User mgianluc login' },
};

test('parses the seed login event and keeps the JSON as sent', () => {
  const r = parseCloudEvent(enc(good));
  assert.ok(r.ok);
  assert.equal(r.event.id, '10001');
  assert.equal(r.event.subject, 'mgianluc');
  assert.deepEqual(r.event.json, good);
  assert.equal('time' in r.event.json, false);
});

test('a missing datacontenttype is JSON; a missing subject is empty', () => {
  const { datacontenttype: _, subject: __, ...rest } = good;
  const r = parseCloudEvent(enc(rest));
  assert.ok(r.ok);
  assert.equal(r.event.subject, '');
});

test('rejects with a reason', () => {
  const cases: [unknown, RegExp][] = [
    ['hello', /not JSON/],
    [[1, 2], /not an object/],
    [{ ...good, id: undefined }, /"id"/],
    [{ ...good, source: '' }, /"source"/],
    [{ ...good, datacontenttype: 'text/plain' }, /not JSON/],
    [{ ...good, specversion: '0.1' }, /invalid CloudEvent/],
  ];
  for (const [input, reason] of cases) {
    const r = parseCloudEvent(enc(input));
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.match(r.reason, reason);
  }
});

test('dedup key is (source, id)', () => {
  assert.equal(eventKey({ id: '1', source: 'a' }), eventKey({ id: '1', source: 'a' }));
  assert.notEqual(eventKey({ id: '1', source: 'a' }), eventKey({ id: '1', source: 'b' }));
  assert.notEqual(eventKey({ id: 'a', source: '1' }), eventKey({ id: '1', source: 'a' }));
});
