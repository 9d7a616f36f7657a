export { ChartLoadError, ChartValidationError } from './errors.js';
export { HelmIgnore } from './helmignore.js';
export { loadArchive, loadChart, loadDir, loadFiles, readChartDir } from './load.js';
export { parseChartYaml, parseLock, parseRequirements, validateMetadata } from './metadata.js';
export { type PackedChart, packDir, packFiles, sha256Hex } from './pack.js';
export { readTarGz, type TarEntry, writeTarGz } from './tar.js';
export * from './types.js';
export { chartFromReleaseJson, chartToReleaseJson, metadataJson } from './release-json.js';
export { parseValues, yamlToJson } from './yaml-values.js';
