/** An error that carries a list of problems, each naming what is wrong and the rule. */
export class GuardrailError extends Error {
  constructor(
    readonly title: string,
    readonly problems: readonly string[],
  ) {
    super(`${title}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "GuardrailError";
  }
}

/** Throws one GuardrailError listing every problem, if there are any. */
export function failIfProblems(title: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new GuardrailError(title, problems);
}
