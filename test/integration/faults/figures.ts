/**
 * What a fault-matrix test measured, printed and written to test-artifacts/reliability/ (git-ignored)
 * so docs/reliability.md can be refreshed from a run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface FaultFigures {
  /** Declared objects or accepted events missing once the system settled. */
  lost: number;
  /** Objects the server held twice for one declaration (counted on the server). */
  duplicated: number;
  /** From the fault's end to the declared state, as the test observed it. */
  convergedMs: number;
  note?: string;
}

const DIR = fileURLToPath(new URL('../../../test-artifacts/reliability/', import.meta.url));

export async function recordFigures(row: string, figures: FaultFigures): Promise<void> {
  const line = JSON.stringify({ row, ...figures, at: new Date().toISOString() });
  console.log(`fault figures: ${line}`);
  await mkdir(DIR, { recursive: true });
  const slug = row.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await writeFile(`${DIR}${slug}.json`, line + '\n');
}
