/** Where the agent listens unless told otherwise; also where clients and the bridge look for it. */
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3050;
