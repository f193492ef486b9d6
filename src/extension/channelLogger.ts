import { LOG_LEVELS, type Logger, type LogLevel } from '../core/logger';

/** The parts of VS Code's LogOutputChannel the core logger needs. */
export type LogSink = Pick<Logger, LogLevel>;

/**
 * Adapts the "1MCP" LogOutputChannel to the core {@link Logger}, dropping messages below the
 * `onemcp.logLevel` setting (read on every call, so a change applies at once).
 */
export function channelLogger(channel: LogSink, level: () => LogLevel): Logger {
  const enabled = (lvl: LogLevel): boolean => LOG_LEVELS.indexOf(lvl) >= LOG_LEVELS.indexOf(level());
  return {
    trace: (message, ...args) => enabled('trace') && channel.trace(message, ...args),
    debug: (message, ...args) => enabled('debug') && channel.debug(message, ...args),
    info: (message, ...args) => enabled('info') && channel.info(message, ...args),
    warn: (message, ...args) => enabled('warn') && channel.warn(message, ...args),
    error: (message, ...args) => enabled('error') && channel.error(message, ...args),
  };
}
