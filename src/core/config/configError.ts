/** Stable codes for the ways a config file can be unusable. */
export type ConfigErrorCode = 'CONFIG_READ' | 'CONFIG_PARSE' | 'CONFIG_INVALID';

/** One problem in a config file, located as precisely as we can. */
export interface ConfigIssue {
  /** Server name, when the problem is inside one server entry. */
  readonly server?: string;
  /** Dotted field path inside the server entry (or the file), e.g. `args[1]`. */
  readonly field?: string;
  /** 1-based position for syntax errors. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** A config file that cannot be used; its message names the file, the server and the field. */
export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
    options?: { cause?: unknown },
  ) {
    super(formatConfigError(code, file, issues), options);
    this.name = 'ConfigError';
  }
}

function formatConfigError(code: ConfigErrorCode, file: string, issues: readonly ConfigIssue[]): string {
  const heading = code === 'CONFIG_READ' ? 'Cannot read config' : code === 'CONFIG_PARSE' ? 'Config is not valid JSON' : 'Config is invalid';
  const lines = issues.map((issue) => {
    const where: string[] = [];
    if (issue.line !== undefined) where.push(`line ${issue.line}, column ${issue.column ?? 1}`);
    if (issue.server !== undefined) where.push(`server "${issue.server}"`);
    if (issue.field) where.push(`field "${issue.field}"`);
    return `  - ${where.length ? `${where.join(', ')}: ` : ''}${issue.message}`;
  });
  return `${heading}: ${file}\n${lines.join('\n')}`;
}
