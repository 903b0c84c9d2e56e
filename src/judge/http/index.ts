export { buildJudgeApp, startJudgeServer, judgeRequest } from './judge-server.js';
export type { JudgeServerOptions } from './judge-server.js';
