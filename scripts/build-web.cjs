// Builds the PWA with Vite. Vite 8 bundles with rolldown, whose native code was seen to die
// with SIGSEGV now and then at process teardown on this Linux x64 setup (rolldown issue
// 10860 describes the same), after the bundle was written or mid-way. A crash by signal is
// retried up to twice; a build error (exit code) fails at once.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const vite = path.join(__dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js');
const args = [vite, 'build', 'apps/web', '--logLevel', 'warn', ...process.argv.slice(2)];

for (let attempt = 1; attempt <= 3; attempt++) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status === 0) process.exit(0);
  const crashed = result.signal !== null || result.status === 139 || result.status === 135;
  if (!crashed) process.exit(result.status ?? 1);
  console.warn(`vite build crashed (${result.signal ?? result.status}); attempt ${attempt} of 3`);
}
process.exit(1);
