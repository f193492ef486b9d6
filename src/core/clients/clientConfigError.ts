/** Stable codes for the ways connecting a client can fail. */
export type ClientErrorCode = 'UNKNOWN_CLIENT' | 'NOT_INSTALLED' | 'CONFIG_PARSE' | 'CONFIG_SHAPE' | 'NOT_CONNECTED';

/** A client that cannot be connected or disconnected; its config file is left as it was. */
export class ClientConfigError extends Error {
  constructor(readonly code: ClientErrorCode, message: string) {
    super(message);
    this.name = 'ClientConfigError';
  }
}

/** The error for a config file that does not parse, with its path and 1-based position. */
export function unparseable(file: string, line: number, column: number, reason: string): ClientConfigError {
  return new ClientConfigError('CONFIG_PARSE', `${file}:${line}:${column}: ${reason}. The file was left untouched; fix it and try again.`);
}
