import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CelRuleError } from './errors.js';
import { compileCelRule } from './rule.js';
import { compileCelRules } from './rules.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', labels: { app: 'web', tier: 'frontend' } },
  spec: { replicas: 3, ratio: 0.5, template: { spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
  status: { readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
};

function compileError(expr: string): CelRuleError {
  try {
    compileCelRule(expr);
  } catch (err) {
    assert.ok(err instanceof CelRuleError, String(err));
    return err;
  }
  assert.fail(`${expr} compiled`);
}

describe('compileCelRule', () => {
  it('evaluates rules over the object, with integral numbers as int', () => {
    const cases: [string, boolean][] = [
      ['resource.spec.replicas + 1 == 4', true],
      ['resource.spec.replicas > resource.status.readyReplicas', true],
      ['resource.spec.ratio * 2.0 == 1.0', true],
      ["resource.metadata.labels['app'] == 'web'", true],
      ['resource.metadata.name.startsWith("we") && resource.metadata.namespace.endsWith("od")', true],
      ['has(resource.spec.paused)', false],
      ["resource.status.conditions.exists(c, c.type == 'Available' && c.status == 'True')", true],
      ["resource.spec.template.spec.containers.all(c, c.image.matches('^nginx:'))", true],
      ['size(resource.metadata.labels) == 2', true],
      ["'tier' in resource.metadata.labels", true],
      ['resource.kind == "Service"', false],
    ];
    for (const [expr, want] of cases) assert.equal(compileCelRule(expr).evaluate(deployment), want, expr);
  });

  it('compiles once and evaluates many objects', () => {
    const rule = compileCelRule('resource.spec.replicas >= 2');
    assert.equal(rule.evaluate({ spec: { replicas: 5 } }), true);
    assert.equal(rule.evaluate({ spec: { replicas: 1 } }), false);
  });

  it('rejects extension functions: Sveltos uses the plain cel-go environment', () => {
    const err = compileError('"x".lowerAscii() == "x"');
    assert.match(err.message, /lowerAscii/);
    assert.match(err.message, /"x"\.lowerAscii\(\) == "x"/);
    compileError('resource.metadata.name.split("-").size() > 1');
  });

  it('rejects unknown variables, bad overloads and non-bool results at compile time, with position', () => {
    const undeclared = compileError('object.metadata.name == "x"').message;
    assert.match(undeclared, /undeclared reference to 'object'/);
    assert.match(undeclared, /<input>:1:1/);
    assert.match(compileError('1 + "a" == 2').message, /no matching overload/);
    assert.match(compileError('resource.spec.replicas + 1').message, /bool/);
    assert.match(compileError('resource.metadata.name ==').message, /<input>:1:/);
  });

  it('reports a non-bool result naming the rule', () => {
    const rule = compileCelRule('resource.spec.replicas');
    assert.throws(
      () => rule.evaluate(deployment),
      (err: unknown) =>
        err instanceof CelRuleError && err.stage === 'result' && /resource\.spec\.replicas/.test(err.message),
    );
  });

  it('reports evaluation errors (missing field) naming the rule', () => {
    const rule = compileCelRule('resource.spec.missing.field == 1');
    assert.throws(
      () => rule.evaluate(deployment),
      (err: unknown) =>
        err instanceof CelRuleError && err.stage === 'evaluate' && /missing/.test(err.message),
    );
  });

  it('bounds the cost: deep comprehension nesting and huge expressions are rejected', () => {
    compileError('[1].all(a, [1].all(b, [1].all(c, [1].all(d, true))))');
    compileError(Array.from({ length: 1200 }, () => 'true').join(' && '));
  });
});

describe('cost bound', () => {
  it('refuses to run nested comprehensions over large lists', () => {
    const rule = compileCelRule(
      'resource.items.all(a, resource.items.all(b, resource.items.exists(c, a + b == c)))',
    );
    assert.equal(rule.evaluate({ items: [1, 2, 3] }), false);
    const big = { items: Array.from({ length: 300 }, (_, i) => i) };
    assert.throws(() => rule.evaluate(big), /300 entries and the rule nests 3 comprehensions/);
  });
});

describe('compileCelRules', () => {
  it('matches when any rule is true, counting failing rules as false', () => {
    const errors: string[] = [];
    const rules = compileCelRules([
      { name: 'broken', rule: '"x".lowerAscii() == "x"' },
      { name: 'fails', rule: 'resource.nope.x == 1' },
      { name: 'true', rule: 'resource.kind == "Deployment"' },
    ]);
    assert.equal(rules.compileErrors.length, 1);
    assert.equal(
      rules.matches(deployment, (name) => errors.push(name)),
      true,
    );
    assert.deepEqual(errors, ['broken', 'fails']);
    assert.equal(compileCelRules([{ name: 'no', rule: 'false' }]).matches(deployment), false);
  });
});
