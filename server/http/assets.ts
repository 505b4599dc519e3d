import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';

/**
 * The pages' front-end (server/public/src, TypeScript) bundled in-process by esbuild on first use and kept in
 * memory: there is no separate build step to forget and nothing built is committed. Output names carry a
 * content hash, so assets are served as immutable and the HTML (always revalidated) names the current ones.
 */

export const PAGES = ['home', 'watch', 'overlay', 'studio'] as const;
export type PageName = (typeof PAGES)[number];

export interface Asset {
  body: Buffer;
  type: string;
}

export interface Bundle {
  /** File name (no directory) -> asset, e.g. `overlay-3KX2P4QZ.js`. */
  assets: Map<string, Asset>;
  /** Rendered HTML of each page. */
  html: Record<PageName, string>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** server/public, from the sources (tsx, ts-jest) or from a tsc build under dist/. */
export function publicDir(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'server', 'public');
    if (existsSync(path.join(candidate, 'src'))) return candidate;
  }
  throw new Error('server/public not found');
}

async function build(): Promise<Bundle> {
  const root = publicDir();
  const outdir = path.join(root, '.out'); // never written: write is false
  const result = await esbuild.build({
    entryPoints: Object.fromEntries(PAGES.map((p) => [p, path.join(root, 'src', p, 'main.ts')])),
    bundle: true,
    splitting: true,
    format: 'esm',
    // OBS browser sources run an embedded Chromium that trails the current one by a few versions.
    target: ['chrome103'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    write: false,
    outdir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    logLevel: 'silent',
  });

  const assets = new Map<string, Asset>();
  for (const f of result.outputFiles) {
    const name = path.basename(f.path);
    assets.set(name, { body: Buffer.from(f.contents), type: TYPES[path.extname(name)] ?? 'application/octet-stream' });
  }

  const html = {} as Record<PageName, string>;
  for (const page of PAGES) {
    const [out, meta] = Object.entries(result.metafile.outputs).find(([, o]) =>
      o.entryPoint?.endsWith(`src/${page}/main.ts`),
    )!;
    const preload = meta.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path));
    const tags = [
      ...(meta.cssBundle ? [`<link rel="stylesheet" href="/assets/${path.basename(meta.cssBundle)}">`] : []),
      ...preload.map((p) => `<link rel="modulepreload" href="/assets/${p}">`),
      `<script type="module" src="/assets/${path.basename(out)}"></script>`,
    ];
    const template = await readFile(path.join(root, `${page}.html`), 'utf8');
    if (!template.includes('<!-- assets -->')) throw new Error(`${page}.html has no <!-- assets --> marker`);
    html[page] = template.replace('<!-- assets -->', tags.join('\n    '));
  }
  return { assets, html };
}

let cached: Promise<Bundle> | null = null;

/** The bundle, built once per process; a failed build is retried on the next call. */
export function getBundle(): Promise<Bundle> {
  if (!cached) {
    cached = build().finally(() => {
      // The bundle is cached for the life of the process: esbuild's helper process is not needed any more.
      void esbuild.stop();
    });
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
