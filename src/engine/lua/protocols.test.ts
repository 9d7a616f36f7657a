import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LuaEngine } from './engine.js';
import { LuaScriptError } from './errors.js';
import {
  evaluateClassification,
  evaluateClusterCheck,
  evaluateHealthCheck,
  evaluateLuaTemplate,
  evaluateObjectHealth,
  evaluateSelector,
  evaluateValidateHealth,
} from './protocols.js';

const engine = new LuaEngine();
const compile = (body: string, modules = false) =>
  engine.compile(`function evaluate()\n${body}\nend`, { name: 'test/script', modules });

function resultError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof LuaScriptError && err.failure === 'result' && pattern.test(err.message),
  );
}

describe('result protocols', () => {
  it('selector: {matching, message} with Go zero values and type errors', () => {
    assert.deepEqual(evaluateSelector(compile('return {}'), {}), { matching: false, message: '' });
    assert.deepEqual(
      evaluateSelector(compile('return { matching = obj.kind == "Pod", message = "m" }'), { kind: 'Pod' }),
      {
        matching: true,
        message: 'm',
      },
    );
    resultError(
      () => evaluateSelector(compile('return { matching = "yes" }'), {}),
      /field matching must be a bool/,
    );
    resultError(
      () => evaluateSelector(compile('return { true }'), {}),
      /table with named fields, got a list/,
    );
  });

  it('object health: {status, message, ignore}', () => {
    const s = compile(`
      if obj.status and obj.status.ready then return { status = "Healthy" } end
      return { status = "Progressing", message = "waiting" }`);
    assert.deepEqual(evaluateObjectHealth(s, { status: { ready: true } }), {
      status: 'Healthy',
      message: '',
      ignore: false,
    });
    assert.deepEqual(evaluateObjectHealth(s, {}), {
      status: 'Progressing',
      message: 'waiting',
      ignore: false,
    });
    assert.equal(evaluateObjectHealth(compile('return { ignore = true }'), {}).ignore, true);
    resultError(
      () => evaluateObjectHealth(compile('return { status = "Fine" }'), {}),
      /status must be Healthy/,
    );
  });

  it('health check: resources with status, and an empty table where a list is expected is an error', () => {
    const s = compile(`
      local out = {}
      for _, r in ipairs(resources) do table.insert(out, { resource = r, status = "Degraded", reEvaluate = true }) end
      return { resources = out }`);
    const r = evaluateHealthCheck(s, [{ kind: 'Pod', metadata: { name: 'a' } }]);
    assert.equal(r.resources[0].status, 'Degraded');
    assert.equal(r.resources[0].reEvaluate, true);
    assert.deepEqual(r.resources[0].resource, { kind: 'Pod', metadata: { name: 'a' } });
    resultError(
      () => evaluateHealthCheck(compile('return { resources = {} }'), []),
      /resources must be a list, got a object/,
    );
  });

  it('validate health: obj and metrics globals', () => {
    const s = compile('return { healthy = metrics.ready >= 2 and (obj == nil or obj.kind == "Deployment") }');
    assert.deepEqual(evaluateValidateHealth(s, null, { ready: 3 }), { healthy: true, message: '' });
    assert.deepEqual(evaluateValidateHealth(s, { kind: 'Job' }, { ready: 3 }), {
      healthy: false,
      message: '',
    });
  });

  it('cluster check: {pass}', () => {
    const s = compile('return { pass = #resources > 0, message = "n=" .. #resources }');
    assert.deepEqual(evaluateClusterCheck(s, [{ kind: 'Node' }]), { pass: true, message: 'n=1' });
  });

  it('classification: list of cluster references, bad entries skipped', () => {
    const s = compile(`return {
      { namespace = "fleet", name = "a", kind = "SveltosCluster" },
      { namespace = "capi", name = "b", kind = "Cluster" },
      { name = "c", kind = "Machine" },
    }`);
    const r = evaluateClassification(s, []);
    assert.deepEqual(r.clusters, [
      { namespace: 'fleet', name: 'a', kind: 'SveltosCluster' },
      { namespace: 'capi', name: 'b', kind: 'Cluster' },
    ]);
    assert.equal(r.skipped.length, 1);
    assert.deepEqual(evaluateClassification(compile('return {}'), []).clusters, []);
  });

  it('lua template: resources map by identifier, returns text', () => {
    const s = compile(
      `local json = require("json")
       local cm = getResource(resources, "cm")
       return { resources = json.encode({ apiVersion = "v1", kind = "ConfigMap", metadata = { name = cm.metadata.name .. "-copy" } }) }`,
      true,
    );
    assert.equal(
      evaluateLuaTemplate(s, { cm: { kind: 'ConfigMap', metadata: { name: 'base' } } }),
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"base-copy"}}',
    );
  });
});

describe('errors name the script, the line and the cause', () => {
  it('compile error', () => {
    assert.throws(
      () => engine.compile('function evaluate()\n  return {\nend', { name: 'EventSource default/bad' }),
      (err: unknown) =>
        err instanceof LuaScriptError &&
        err.failure === 'compile' &&
        err.line === 3 &&
        /lua script EventSource default\/bad does not compile at line 3/.test(err.message),
    );
  });

  it('runtime error', () => {
    const s = engine.compile('function evaluate()\n  local x = nil\n  return { v = x.field }\nend', {
      name: 'hc',
    });
    assert.throws(
      () => s.evaluate({ kind: 'object', obj: {} }),
      (err: unknown) =>
        err instanceof LuaScriptError &&
        err.failure === 'runtime' &&
        err.line === 3 &&
        /failed at line 3: attempt to index/.test(err.message),
    );
  });

  it('no evaluate, non-table result', () => {
    const none = engine.compile('function check() return {} end', { name: 'n' });
    assert.throws(() => none.evaluate({ kind: 'object', obj: {} }), /defines no global function evaluate/);
    const str = engine.compile('function evaluate() return "healthy" end', { name: 'n' });
    assert.throws(
      () => str.evaluate({ kind: 'object', obj: {} }),
      /evaluate must return a table, got string healthy/,
    );
  });

  it('fresh mode behaves the same', () => {
    const fresh = new LuaEngine({ mode: 'fresh' });
    const s = fresh.compile('function evaluate() counter = (counter or 0) + 1 return { n = counter } end');
    assert.deepEqual(s.evaluate({ kind: 'object', obj: {} }), { n: 1 });
    assert.deepEqual(s.evaluate({ kind: 'object', obj: {} }), { n: 1 });
  });
});
