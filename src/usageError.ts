/** Thrown for a command line we cannot run; printed with the usage, without a stack trace. */
export class UsageError extends Error {}
