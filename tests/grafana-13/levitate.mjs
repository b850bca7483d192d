// Runs `levitate is-compatible`, as create-plugin's CI does, on src/module.ts against this
// package set's @grafana/* versions, and fails on what levitate itself lets pass.
//
// How levitate resolves packages (dist/utils/npm.js of @grafana/levitate 0.17.2): the project's
// versions come from `npm list` in src/, the targets' from `npm view`, and both versions of each
// package are downloaded as tarballs from the npm registry into os.tmpdir(). When a package
// cannot be fetched or compared it logs "Could not process the package" and counts it as
// compatible (exit code 0); a package the project does not list is skipped the same way. So:
// a private TMPDIR (parallel runs would otherwise share and delete each other's downloads),
// up to two tries when a package could not be processed, and a failure if one still was not.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const { dependencies } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const packages = ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema'];
const target = packages.map((p) => `${p}@${dependencies[p]}`).join(',');
const levitate = join(here, 'node_modules', '.bin', 'levitate');
const unprocessed = /Could not process the package|Skipping package/;

function attempt() {
  const tmp = mkdtempSync(join(tmpdir(), 'levitate-'));
  try {
    const r = spawnSync(levitate, ['is-compatible', '--path', 'src/module.ts', '--target', target], {
      cwd: root,
      env: { ...process.env, TMPDIR: tmp, FORCE_COLOR: '0' },
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    process.stdout.write(output);
    return { status: r.status, output };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

let result = attempt();
if (result.status === 0 && unprocessed.test(result.output)) {
  console.log('\nlevitate could not process every package (above); trying once more');
  result = attempt();
}
if (result.status !== 0) {
  console.error(`\nlevitate: src/module.ts is not compatible with ${target} (report above)`);
  process.exit(1);
}
if (unprocessed.test(result.output)) {
  console.error(`\nlevitate: some packages were not compared (above), so nothing is known about them`);
  process.exit(1);
}
console.log(`\nlevitate: src/module.ts is compatible with ${target}`);
