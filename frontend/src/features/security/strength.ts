/** Password strength (0–4) from zxcvbn-ts, loaded on first use so the main bundle stays small. */
type Checker = (password: string, userInputs: string[]) => number;
let checker: Promise<Checker> | null = null;

export function loadStrength(): Promise<Checker> {
  if (!checker) {
    // virtual:meter-dictionary (built in vite.config.ts) holds a trimmed word list, not the package's full one.
    checker = Promise.all([import('@zxcvbn-ts/core'), import('virtual:meter-dictionary')]).then(([core, meter]) => {
      const factory = new core.ZxcvbnFactory({
        dictionary: { 'passwords-common': meter.passwords },
        graphs: meter.adjacencyGraphs,
      });
      return (password: string, userInputs: string[]) => factory.check(password, userInputs).score;
    });
  }
  return checker;
}
