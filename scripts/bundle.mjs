// Builds dist/ for start-up speed. Node's ES module loader pays per file, and the SDK, zod and
// their kin are hundreds of files: bundled, a run reaches its first request in about half the
// time. Chunks keep the lazy imports lazy (zod, the SDK and the renderer load only when needed).
// The entry stays CommonJS so `--version` never starts the ES module loader.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', legalComments: 'none' };

rmSync('dist', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/cli/start.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (gray-matter, js-yaml) call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __mythosRequire } from 'node:module'; const require = __mythosRequire(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: ['src/cli/index.cts', 'src/cli/version.cts'],
  outdir: 'dist/cli',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
});
