import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CapImportOutcome, CapImportService } from '@tocsin/alerts';
import { parseCap, type CapRefusal } from '@tocsin/cap';
import { isDomainError } from '@tocsin/common';

/** What happened to one file: an import outcome, or why it was refused. */
export type FileResult =
  | { file: string; result: CapImportOutcome; alertId?: string }
  | {
      file: string;
      result: 'refused';
      reason: CapRefusal | 'unreadable' | string;
      message: string;
    };

/** The .xml files of a folder (not recursive, sorted), or the one file named. */
export async function capFiles(target: string): Promise<string[]> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) return [target];
  const names = await fs.readdir(target);

  return names
    .filter((name) => name.toLowerCase().endsWith('.xml'))
    .sort()
    .map((name) => path.join(target, name));
}

/**
 * Imports CAP files one by one on behalf of an agency (as the feed poller does: no user),
 * each in its own transaction, and reports a result per file; one bad file stops nothing.
 */
export async function importCapFiles(
  importer: CapImportService,
  agencyId: string,
  files: string[],
): Promise<FileResult[]> {
  const results: FileResult[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      results.push({ file, result: 'refused', reason: 'unreadable', message: String(error) });
      continue;
    }
    const parsed = parseCap(bytes);
    if (!parsed.ok) {
      const first = parsed.errors[0];
      const message = first ? `${first.element}: ${first.message}` : parsed.reason;
      results.push({ file, result: 'refused', reason: parsed.reason, message });
      continue;
    }
    try {
      const imported = await importer.importCap({ agencyId, userId: null }, parsed.alert);
      results.push({ file, result: imported.outcome, alertId: imported.alert?.id });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      results.push({ file, result: 'refused', reason: error.code, message: error.message });
    }
  }

  return results;
}
