/**
 * Lua and CEL evaluator benchmark. Prints one JSON object:
 *   objectBytes                 size of the Service object (JSON)
 *   lua.reuse / lua.fresh       evaluations/s of a 20-line EventSource script over the object:
 *                               one lua_State with a fresh environment per evaluation, or a new
 *                               lua_State per evaluation (as Sveltos does)
 *   cel                         evaluations/s of a compiled CEL rule over the same object
 *   loadAverage1m               machine load while measuring
 * Options: --seconds N per measurement (default 2).
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { compileCelRule } from '../src/engine/cel/rule.js';
import { LuaEngine } from '../src/engine/lua/engine.js';
import { evaluateSelector } from '../src/engine/lua/protocols.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seconds = arg('seconds', 2);

export const SCRIPT = `function evaluate()
  local hs = {}
  hs.matching = false
  hs.message = ""
  if obj.metadata.labels == nil then
    return hs
  end
  if obj.metadata.labels["app.kubernetes.io/part-of"] ~= "shop" then
    return hs
  end
  if obj.spec.ports ~= nil then
    for _, p in ipairs(obj.spec.ports) do
      if p.port == 443 or p.port == 8443 then
        hs.matching = true
        hs.message = "https port " .. p.port .. " on " .. obj.metadata.name
      end
    end
  end
  return hs
end`;

export function service(): Record<string, any> {
  const labels: Record<string, string> = { 'app.kubernetes.io/part-of': 'shop', app: 'frontend' };
  const annotations: Record<string, string> = {};
  for (let i = 0; i < 24; i++) {
    labels[`example.com/label-${i}`] = `value-${i}`;
    annotations[`example.com/annotation-${i}`] = `some longer annotation text number ${i} for realism`;
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'frontend',
      namespace: 'shop',
      uid: '0f6b4a4e-5a52-4f3e-9b55-2f0f9c1d7a11',
      resourceVersion: '123456',
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels,
      annotations,
      managedFields: Array.from({ length: 3 }, (_, i) => ({
        manager: `manager-${i}`,
        operation: 'Update',
        apiVersion: 'v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:ports': {} } },
      })),
    },
    spec: {
      type: 'LoadBalancer',
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      ipFamilies: ['IPv4'],
      selector: { app: 'frontend' },
      ports: Array.from({ length: 12 }, (_, i) => ({
        name: `port-${i}`,
        port: i === 11 ? 443 : 8000 + i,
        targetPort: 9000 + i,
        protocol: 'TCP',
        nodePort: 30000 + i,
      })),
    },
    status: { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } },
  };
}

export function measure(fn: () => void, secs = seconds): number {
  for (let i = 0; i < 50; i++) fn(); // warm up
  const end = performance.now() + secs * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 20; i++) fn();
    n += 20;
  }
  return Math.round((n / (performance.now() - start)) * 1000);
}

export const CEL_RULE =
  "resource.metadata.labels['app.kubernetes.io/part-of'] == 'shop' && resource.spec.ports.exists(p, p.port == 443 || p.port == 8443)";

function main(): void {
  const obj = service();
  const reuse = new LuaEngine({ mode: 'reuse' }).compile(SCRIPT, { name: 'bench' });
  const fresh = new LuaEngine({ mode: 'fresh' }).compile(SCRIPT, { name: 'bench' });
  if (!evaluateSelector(reuse, obj).matching || !evaluateSelector(fresh, obj).matching) {
    throw new Error('benchmark script does not match the benchmark object');
  }
  const rule = compileCelRule(CEL_RULE);
  if (!rule.evaluate(obj)) throw new Error('benchmark rule does not match the benchmark object');

  const result = {
    benchmark: 'lua-cel',
    objectBytes: JSON.stringify(obj).length,
    scriptLines: SCRIPT.split('\n').length,
    lua: {
      reuseEvalsPerSec: measure(() => evaluateSelector(reuse, obj)),
      freshEvalsPerSec: measure(() => evaluateSelector(fresh, obj)),
    },
    cel: { evalsPerSec: measure(() => rule.evaluate(obj)) },
    // the machine is shared: a load average above the core count makes the figures low
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
  console.log(JSON.stringify(result));
}

// Imported by bench/events.ts for its cases: run only when started as a script.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
