import * as path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * One runner for the whole repository: unit specs beside the code, integration specs against
 * a real PostgreSQL, end-to-end specs under test/. SWC compiles so that NestJS decorator
 * metadata exists, as it does in the build.
 */
export default defineConfig({
  plugins: [
    swc.vite({
      tsconfigFile: false,
      module: { type: 'es6' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true, tsx: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          react: { runtime: 'automatic' },
        },
        keepClassNames: true,
      },
    }),
  ],
  resolve: {
    alias: [{ find: /^@tocsin\/([a-z-]+)$/, replacement: path.resolve(__dirname, 'libs/$1/src') }],
  },
  test: {
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.spec.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'apps/web/dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    setupFiles: ['test/support/setup.ts'],
    // Writes the local push service's certificate and sets NODE_EXTRA_CA_CERTS for the workers.
    globalSetup: ['test/support/push-tls.global-setup.ts'],
    reporters: ['default'],
  },
});
