/** Password strength (0–4) from zxcvbn-ts, loaded on first use so the main bundle stays small. */
type Checker = (password: string, userInputs: string[]) => number;
let checker: Promise<Checker> | null = null;

export function loadStrength(): Promise<Checker> {
  if (!checker) {
    checker = Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(([core, common]) => {
      const factory = new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary },
        graphs: common.adjacencyGraphs,
      });
      return (password: string, userInputs: string[]) => factory.check(password, userInputs).score;
    });
  }
  return checker;
}
