import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { criteriaMatches, firstMatch, matchingEventSources, subjectMatches } from './match.js';

const login = {
  natsSubject: 'user-operation',
  source: 'auth.example.com',
  type: 'auth.example.com.login',
  subject: 'mgianluc',
};

test('empty criteria fields match anything; all four must match', () => {
  assert.equal(criteriaMatches({}, login), true);
  assert.equal(
    criteriaMatches({ subject: 'user-operation', cloudEventSource: 'auth.example.com' }, login),
    true,
  );
  assert.equal(criteriaMatches({ subject: 'user-operation', cloudEventSource: 'billing' }, login), false);
  assert.equal(criteriaMatches({ cloudEventType: 'logout$' }, login), false);
  assert.equal(criteriaMatches({ cloudEventType: 'login$', cloudEventSubject: '^mg' }, login), true);
});

test('regexes are unanchored (Go MatchString) and an invalid regex never matches', () => {
  assert.equal(criteriaMatches({ subject: 'operation' }, login), true);
  assert.equal(criteriaMatches({ subject: '^operation' }, login), false);
  assert.equal(criteriaMatches({ cloudEventSource: '(' }, login), false);
});

test('first fully matching entry wins; EventSources without criteria never match', () => {
  assert.equal(firstMatch([{ subject: 'x' }, { cloudEventType: 'login' }, {}], login), 1);
  assert.equal(firstMatch([{ subject: 'x' }], login), -1);
  assert.deepEqual(
    matchingEventSources(
      [
        { name: 'a', criteria: [{ cloudEventSource: 'auth' }] },
        { name: 'b', criteria: [] },
        { name: 'c', criteria: [{ cloudEventSource: 'billing' }, { subject: 'user-' }] },
      ],
      login,
    ),
    ['a', 'c'],
  );
});

test('NATS subject wildcards', () => {
  assert.equal(subjectMatches('a.b', 'a.b'), true);
  assert.equal(subjectMatches('a.*', 'a.b'), true);
  assert.equal(subjectMatches('a.*', 'a.b.c'), false);
  assert.equal(subjectMatches('a.>', 'a.b.c'), true);
  assert.equal(subjectMatches('a.>', 'a'), false);
  assert.equal(subjectMatches('>', 'x'), true);
  assert.equal(subjectMatches('a.b', 'a'), false);
});

test('a literal filter matches exactly its own subject (property)', () => {
  const token = fc.stringMatching(/^[a-z0-9]{1,4}$/);
  fc.assert(
    fc.property(
      fc.array(token, { minLength: 1, maxLength: 4 }),
      fc.array(token, { minLength: 1, maxLength: 4 }),
      (a, b) => {
        assert.equal(subjectMatches(a.join('.'), b.join('.')), a.join('.') === b.join('.'));
        assert.equal(subjectMatches(`${a[0]}.>`, [a[0], ...b].join('.')), true);
      },
    ),
    { numRuns: 200 },
  );
});
