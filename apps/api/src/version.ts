import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The package version, found by walking up from this file (source and build differ in depth). */
function readVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const text = readFileSync(path.join(dir, 'package.json'), 'utf8');
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === 'tocsin' && parsed.version) return parsed.version;
    } catch {
      // No package.json at this level; keep walking up.
    }
  }

  return '0.0.0';
}

export const APP_VERSION = readVersion();
