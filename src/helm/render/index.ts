export * from './coalesce.js';
export { copyChart, processDependencies } from './dependencies.js';
export { type EngineInput, type ReleaseInfo, renderTemplates } from './engine.js';
export { HelmRenderError } from './errors.js';
export { filesObject, globToRegExp } from './files.js';
export * from './manifests.js';
export * from './objects.js';
export * from './render.js';
export { validateValues } from './schema.js';
