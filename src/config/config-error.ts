export interface ConfigProblem {
  /** The file (relative to the working folder) or `environment` that set the bad value. */
  file: string;
  /** Dotted key path, e.g. `server.port` or `identityProvider.type`. */
  path: string;
  message: string;
}

/** Start-up stops on this: every problem at once, each with its file and key path. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.file}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
