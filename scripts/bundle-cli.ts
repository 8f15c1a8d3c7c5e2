// Bundles the `eft` command line into dist/bundle/ (run by `npm run build`, after `tsc`).
//
// Why: Node starts an ES module graph file by file, and `eft check` reaches about a hundred of
// our modules plus Chevrotain; resolving, reading and compiling them one by one was a third of
// its start-up time. esbuild joins the command line, the language and the compiler into a few
// files (the modules a command imports lazily become chunks loaded when that command runs).
//
// What stays outside: the runtime and the plan contract (`runtime/`, `plan/`) load from the
// `tsc` output in dist/, so their worker threads and wasm files keep their paths and no module
// exists twice; npm packages load from node_modules, except Chevrotain, which is bundled from its
// single-file build (its package entry loads some 2,300 lodash-es modules).
//
// Two modules have a bundle-time form: the rule registry lists the rule files found now
// (it scans its folders when run from dist/), and grammar/chevrotain imports Chevrotain
// statically (it loads the single-file build by path when run from dist/).
import { build, type Plugin } from 'esbuild';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');
const LOADED_FROM_DIST = ['runtime', 'plan'];

function posix(path: string): string {
  return path.split(sep).join('/');
}

const layout: Plugin = {
  name: 'eft-layout',
  setup(b) {
    // Our modules in `runtime/` and `plan/`: imported from dist/ by a path relative to the bundle.
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = join(args.resolveDir, args.path);
      const inDist = relative(dist, target);
      const top = inDist.split(sep)[0];
      if (!LOADED_FROM_DIST.includes(top)) return undefined;
      return { path: posix(relative(outdir, target)), external: true };
    });
    // Packages load from node_modules, except Chevrotain.
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === 'chevrotain') return { path: join(dirname(createRequire(import.meta.url).resolve('chevrotain')), '..', 'chevrotain.mjs') };
      return { path: args.path, external: true };
    });
    b.onLoad({ filter: /[\\/]grammar[\\/]chevrotain\.js$/ }, () => ({
      contents: `export { createToken, Lexer, CstParser, EOF } from 'chevrotain';`,
      loader: 'js',
    }));
    b.onLoad({ filter: /[\\/]compiler[\\/]rules[\\/]registry\.js$/ }, (args) => {
      const folders = ['program', 'experiment'] as const;
      const lines: string[] = [];
      const lists: Record<string, string[]> = {};
      for (const folder of folders) {
        lists[folder] = [];
        const files = readdirSync(join(dirname(args.path), folder))
          .filter((f) => f.endsWith('.js'))
          .sort();
        for (const [i, file] of files.entries()) {
          const id = `${folder}${i}`;
          lines.push(`import * as ${id} from './${folder}/${file}';`);
          lists[folder].push(id);
        }
      }
      const check = (folder: string) =>
        `[${lists[folder].map((id, i) => `ruleOf(${id}, ${JSON.stringify(`${folder}/${i}`)})`).join(', ')}]`;
      lines.push(
        `function ruleOf(m, name) { if (!m.rule) throw new Error('rule module ' + name + ' exports no \`rule\`'); return m.rule; }`,
        `let cached;`,
        `export function loadRules() { cached ??= Promise.resolve({ program: ${check('program')}, experiment: ${check('experiment')} }); return cached; }`,
      );
      return { contents: lines.join('\n'), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

await build({
  entryPoints: { eft: join(dist, 'cli', 'eft.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'eof',
  sourcemap: 'linked',
  plugins: [layout],
  logLevel: 'warning',
});
