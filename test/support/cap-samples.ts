import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The shared public CAP samples (../shared/samples, described in its SOURCES.md). They are
 * not part of this repository: specs that use them are skipped, with a note, when absent.
 */
const repoRoot = path.resolve(__dirname, '../..');
// Beside the repository; a git worktree one level deeper (wt/<name>) looks one level higher.
export const samplesDir =
  [
    process.env.CAP_SAMPLES_DIR,
    path.resolve(repoRoot, '../shared/samples'),
    path.resolve(repoRoot, '../../shared/samples'),
  ].find((dir): dir is string => dir !== undefined && existsSync(dir)) ??
  path.resolve(repoRoot, '../shared/samples');
export const capDir = path.join(samplesDir, 'cap');
export const samplesPresent = existsSync(capDir);

export function sampleNames(): string[] {
  return samplesPresent
    ? readdirSync(capDir)
        .filter((file) => file.endsWith('.xml'))
        .map((file) => file.replace(/\.xml$/, ''))
        .sort()
    : [];
}

export function readSample(name: string): Buffer {
  return readFileSync(path.join(capDir, `${name}.xml`));
}

/** The OASIS CAP 1.2 schema, read where it lies (never copied into the repository). */
export function readCapSchema(): string {
  return readFileSync(path.join(samplesDir, 'schema', 'cap12.xsd'), 'utf8');
}
