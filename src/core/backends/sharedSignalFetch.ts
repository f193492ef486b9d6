import { setMaxListeners } from 'node:events';

/**
 * `fetch` for the SDK's HTTP client transports, which hand one connection-long AbortSignal to every
 * request. Node's fetch adds an abort listener to that signal per request and removes it only once the
 * request is garbage-collected, so under steady traffic well over 1500 are attached at a time, and past
 * 1500 Node prints a MaxListenersExceededWarning (an Error with a stack trace, written to stderr) for
 * every further request. Garbage collection bounds the listeners; the limit on the signal is lifted.
 */
export const sharedSignalFetch: typeof fetch = (input, init) => {
  if (init?.signal) setMaxListeners(0, init.signal);
  return fetch(input, init);
};
