import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CapImportService } from '@tocsin/alerts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capFiles, importCapFiles } from '../../apps/api/src/cli/cap-import-files';
import { lyonCap } from '../support/cap-client';
import { createAgency, identityEnv, loginOperator } from '../support/identity-factory';
import { startTestApp, type TestApp } from '../support/test-app';

describe('npm run cap:import (the import of files behind it)', () => {
  let api: TestApp;
  let agencyId: string;

  beforeAll(async () => {
    api = await startTestApp(identityEnv());
    const operator = await loginOperator(api.url);
    agencyId = (await createAgency(api.url, operator.accessToken)).id;
  });

  afterAll(async () => {
    await api?.close();
  });

  it('imports a folder and reports one enumerated result per file', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cap-import-'));
    writeFileSync(path.join(folder, 'a-alert.xml'), lyonCap('CLI-1'));
    writeFileSync(path.join(folder, 'b-same.xml'), lyonCap('CLI-1'));
    writeFileSync(path.join(folder, 'c-broken.xml'), '<alert');
    writeFileSync(path.join(folder, 'd-invalid.xml'), lyonCap('CLI-2', { alert: { scope: null } }));
    writeFileSync(path.join(folder, 'notes.txt'), 'not CAP');
    const importer = api.app.get(CapImportService);

    const files = await capFiles(folder);
    const results = await importCapFiles(importer, agencyId, files);

    expect(files.map((file) => path.basename(file))).toEqual([
      'a-alert.xml',
      'b-same.xml',
      'c-broken.xml',
      'd-invalid.xml',
    ]);
    expect(
      results.map((r) => [path.basename(r.file), r.result, 'reason' in r && r.reason]),
    ).toEqual([
      ['a-alert.xml', 'created', false],
      ['b-same.xml', 'duplicate', false],
      ['c-broken.xml', 'refused', 'malformed'],
      ['d-invalid.xml', 'refused', 'invalid'],
    ]);
    expect(await capFiles(path.join(folder, 'a-alert.xml'))).toHaveLength(1);
  });
});
