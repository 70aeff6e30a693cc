/**
 * `--smoke`: the tiny run of a benchmark that the test suite makes of every file in bench/, so
 * none can silently stop working. Figures from a smoke run mean nothing.
 */
export const SMOKE = process.argv.includes('--smoke');

/** The `index`-th positional argument as a number; `smoke` under --smoke, `full` when absent. */
export function sizeArg(index: number, full: number, smoke: number): number {
  if (SMOKE) return smoke;
  const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const v = Number(positional[index]);
  return Number.isFinite(v) && v > 0 ? v : full;
}
