/**
 * The dashboard's page, script and style, read once from the package's own assets/dashboard
 * (shipped in the npm package; no CDN, no build step). Keyed by the path the page asks for.
 */
import { readFileSync } from 'node:fs';

export interface DashboardAsset {
  body: Buffer;
  type: string;
}

const ASSETS = new URL('../../../assets/dashboard/', import.meta.url);
const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

export function readDashboardAssets(): ReadonlyMap<string, DashboardAsset> {
  return new Map(
    Object.entries(FILES).map(([path, f]) => [
      path,
      { body: readFileSync(new URL(f.file, ASSETS)), type: f.type },
    ]),
  );
}
