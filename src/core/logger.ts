/** Log levels in increasing severity, the same names VS Code's LogOutputChannel uses. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The one logging interface core code sees. The extension hands in a LogOutputChannel; the CLI a
 * stderr writer. Never pass tokens, secrets or tool arguments at info level or above.
 */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** A logger that writes `LEVEL message` lines to a stream (stderr for the CLI), dropping levels below `level`. */
export function createStreamLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const min = LOG_LEVELS.indexOf(level);
  const emit = (lvl: LogLevel, message: string | Error, args: unknown[]): void => {
    if (LOG_LEVELS.indexOf(lvl) < min) return;
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    const extra = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a)));
    write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${[text, ...extra].join(' ')}\n`);
  };
  return {
    trace: (m, ...a) => emit('trace', m, a),
    debug: (m, ...a) => emit('debug', m, a),
    info: (m, ...a) => emit('info', m, a),
    warn: (m, ...a) => emit('warn', m, a),
    error: (m, ...a) => emit('error', m, a),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Short human message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
