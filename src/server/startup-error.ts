/**
 * A reason the server or a CLI command cannot start that the operator fixes
 * (configuration, the demo refusal, a data folder in use, full or read-only):
 * entry points print its message alone, without a stack trace, and exit 1.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * Print `err` for an operator and exit 1: a StartupError as its message,
 * anything else with its stack.
 */
export function exitWithStartupError(err: unknown): never {
  const text = err instanceof StartupError ? err.message : err instanceof Error ? err.stack ?? err.message : String(err);
  process.stderr.write(`${text}\n`);
  process.exit(1);
}
