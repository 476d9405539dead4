/** Threads: the conversation model, search helpers, the HTTP API, the API client and sync. */
export type {
  CreateThreadInput,
  NewThreadMessage,
  PageRequest,
  SearchSnippet,
  Thread,
  ThreadContent,
  ThreadFilters,
  ThreadGit,
  ThreadMessage,
  ThreadPage,
  ThreadPatch,
  ThreadRepository,
  ThreadSearchHit,
  ThreadSearchPage,
  ThreadSource,
  ThreadSourceKind,
  ThreadStatus,
  ThreadSummary,
  ThreadVisibility,
  ThreadWriteOptions,
} from './thread-types.js';
export { threadSourceKinds, threadStatuses, threadVisibilities } from './thread-types.js';
export { isThreadId, newThreadId } from './new-thread-id.js';
export { threadSourceKey, threadSourceRepository } from './thread-source-key.js';
export {
  indexTerms,
  maxIndexedChars,
  maxTermLength,
  normalizeForSearch,
  parseSearchQuery,
  tokenizeText,
  tokenMatches,
} from './search-terms.js';
export type { SearchTerm, TextToken } from './search-terms.js';
export { buildSnippet, defaultSnippetLength } from './build-snippet.js';
export { messageSearchText, threadMetaSearchText } from './search-document-text.js';
export { decodeCursor, defaultPageLimit, encodeCursor, maxPageLimit, pageLimit } from './page-cursor.js';
export { threadContentSchema, threadSchema, threadSourceSchema } from './thread-schemas.js';
export { appendToThread } from './append-to-thread.js';
export type { AppendToThreadOptions } from './append-to-thread.js';
export { canAccessThread, scopeFilters } from './threads-principal.js';
export { principalOf, requireBearer } from './bearer-authentication.js';
export type { AuthenticateBearer, ThreadsPrincipal } from './threads-principal.js';
export { createTokenAuthenticator } from './create-token-authenticator.js';
export type { BearerTokenVerifier, TokenAuthenticatorOptions } from './create-token-authenticator.js';
export { parseVersionPrecondition, versionTag } from './parse-version-precondition.js';
export type { VersionPrecondition } from './parse-version-precondition.js';
export { createThreadsRouter } from './create-threads-router.js';
export type { ThreadsRouterDeps } from './create-threads-router.js';
export { createThreadsClient } from './threads-client.js';
export type { ThreadsClient, ThreadsClientOptions } from './threads-client.js';
export { contentOf, syncThreads } from './sync-threads.js';
export type { SyncReport, SyncThreadsOptions } from './sync-threads.js';
export {
  ansiBoldHighlighter,
  bracketHighlighter,
  renderSearchHits,
  renderSnippet,
  renderThread,
  renderThreadList,
} from './render-threads.js';
export type { Highlighter } from './render-threads.js';
