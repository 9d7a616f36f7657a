// Layering of DESIGN.md section 2: folders are layers and imports go one way only.
// Each entry: a layer and the layers it may import (besides itself).
const layers = {
  lib: [],
  api: ['lib'],
  engine: ['lib', 'api'],
  kube: ['lib', 'api'],
  runtime: ['lib', 'api', 'kube'],
  apiserver: ['lib', 'api', 'engine'],
  helm: ['lib', 'api', 'kube', 'engine'],
  controllers: ['runtime', 'kube', 'engine', 'helm', 'api', 'lib'],
  agent: ['runtime', 'kube', 'engine', 'api', 'lib'],
  query: ['kube', 'api', 'lib'],
  cli: ['query', 'kube', 'api', 'lib'],
  dashboard: ['query', 'kube', 'api', 'lib'],
  mcp: ['query', 'kube', 'api', 'lib'],
};

const forbidden = Object.entries(layers).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only ${[layer, ...allowed].join(', ')} (DESIGN.md section 2)`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: { path: '^src/', pathNot: `^src/(${[layer, ...allowed].join('|')})/` },
}));

forbidden.push(
  {
    name: 'pure-engine-and-api',
    comment: 'engine/ and api/ are pure: no node: built-in modules (DESIGN.md section 3.5)',
    severity: 'error',
    from: { path: '^src/(engine|api)/', pathNot: '\\.test\\.ts$' },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'no-test-imports-in-code',
    comment: 'production code never imports test files',
    severity: 'error',
    from: { path: '^src/', pathNot: '\\.test\\.ts$' },
    to: { path: '\\.test\\.ts$' },
  },
  {
    name: 'no-circular',
    comment: 'circular imports make layers meaningless',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
