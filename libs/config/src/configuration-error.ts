/** One problem of the configuration: the variable and the rule it breaks. */
export interface ConfigProblem {
  variable: string;
  rule: string;
}

/**
 * The configuration is invalid. The message lists every problem, one per line, in one format:
 * `  - VARIABLE rule`. Processes print it without a stack and exit 1.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  readonly problems: ConfigProblem[];

  constructor(problems: (ConfigProblem | string)[]) {
    const list = problems.map((p) => (typeof p === 'string' ? { variable: p.split(/\s/)[0], rule: p.slice(p.split(/\s/)[0].length).trim() } : p));
    super(`invalid configuration (${list.length} ${list.length === 1 ? 'problem' : 'problems'}):\n${list.map((p) => `  - ${p.variable} ${p.rule}`).join('\n')}`);
    this.problems = list;
  }
}
