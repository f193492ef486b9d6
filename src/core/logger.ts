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
    write(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${[messageText(message), ...args.map(argumentText)].join(' ')}\n`);
  };
  return {
    trace: (m, ...a) => emit('trace', m, a),
    debug: (m, ...a) => emit('debug', m, a),
    info: (m, ...a) => emit('info', m, a),
    warn: (m, ...a) => emit('warn', m, a),
    error: (m, ...a) => emit('error', m, a),
  };
}

/** A message as a log line shows it: an Error with its stack. */
function messageText(message: string | Error): string {
  return message instanceof Error ? (message.stack ?? message.message) : message;
}

/** An argument as a log line shows it: an Error by its message, anything else not a string as JSON. */
function argumentText(arg: unknown): string {
  return arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg);
}

/**
 * `logger` with `cut` applied to every message and argument (as text), at every level: what a call site
 * logs cannot carry what `cut` removes, whichever site it is.
 */
export function cuttingLogger(logger: Logger, cut: (text: string) => string): Logger {
  const line =
    (write: (message: string) => void) =>
    (message: string | Error, ...args: unknown[]): void =>
      write([messageText(message), ...args.map(argumentText)].map(cut).join(' '));
  return {
    trace: line((m) => logger.trace(m)),
    debug: line((m) => logger.debug(m)),
    info: line((m) => logger.info(m)),
    warn: line((m) => logger.warn(m)),
    error: line((m) => logger.error(m)),
  };
}

/** A logger that drops everything; for tests that do not look at logs. */
export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** Short human message for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
