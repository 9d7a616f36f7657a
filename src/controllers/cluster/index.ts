export * from './controller.js';
export * from './decide.js';
export * from './mgmt-registration.js';
export * from './metrics.js';
