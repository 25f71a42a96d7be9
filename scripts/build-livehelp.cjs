// Builds Live Help (apps/livehelp) with Vite into apps/livehelp/dist: first the console page,
// then widget.js as one classic script. Like build-web.cjs, a Vite run that dies by a signal
// (rolldown's teardown crash) is retried up to twice; a build error fails at once.
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
rmSync(path.join(root, 'apps', 'livehelp', 'dist'), { recursive: true, force: true });

for (const target of ['console', 'widget']) {
  const args = [vite, 'build', 'apps/livehelp', '--logLevel', 'warn'];
  let built = false;
  for (let attempt = 1; attempt <= 3 && !built; attempt++) {
    const result = spawnSync(process.execPath, args, {
      stdio: 'inherit',
      cwd: root,
      env: { ...process.env, LIVEHELP_TARGET: target },
    });
    if (result.status === 0) built = true;
    else if (result.signal === null && result.status !== 139 && result.status !== 135) {
      process.exit(result.status ?? 1);
    } else console.warn(`vite build (${target}) crashed; attempt ${attempt} of 3`);
  }
  if (!built) process.exit(1);
}
