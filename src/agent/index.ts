export { Agent, type AgentOptions, createAgent } from './agent.js';
export type { AgentContext, AgentModule, ClusterType } from './context.js';
export * from './drift/index.js';
export { defaultAgentModules } from './modules.js';
