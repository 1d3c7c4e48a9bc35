// Entry point of the fake Messages API used by tests: a real HTTP server plus reply builders.
export type {
  CutReply, ErrorReply, FakeApi, FakeApiOptions, FakeReply, FakeUsage, MessageReply, RecordedRequest, Responder,
} from './types.js';
export { startFakeApi } from './server.js';
export { errorReply, jsonReply, textReply, toolUseReply, type MessageExtra } from './replies.js';
