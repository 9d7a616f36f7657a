export { type ApiServer, type ApiServerOptions, startApiServer } from './server/api-server.js';
