import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The pages' front-end (server/public/src, TypeScript) bundled by esbuild, with a content hash in every output
 * name, so assets are served as immutable and the HTML (always revalidated) names the current ones.
 * `npm run build` bundles once into dist/server/public/bundle; a compiled server serves that and never needs
 * esbuild (a development dependency). Run from the sources, the server bundles in memory on first use.
 */

export const PAGES = ['home', 'watch', 'overlay'] as const;
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

/** What `npm run build` writes beside the asset files. */
interface Manifest {
  html: Record<PageName, string>;
  assets: Record<string, string>;
}

const MANIFEST = 'manifest.json';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Where a compiled server finds the bundle `npm run build` made (dist/server/public/bundle). */
export function prebuiltDir(): string {
  return path.join(__dirname, '..', 'public', 'bundle');
}

/** server/public, from the sources (tsx, ts-jest) or from a tsc build under dist/. */
export function publicDir(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'server', 'public');
    if (existsSync(path.join(candidate, 'src'))) return candidate;
  }
  throw new Error('server/public not found (a compiled server needs the bundle of npm run build)');
}

/** Bundles the pages with esbuild, loaded only here: production installs do not have it. */
export async function bundlePages(): Promise<Bundle> {
  const esbuild = await import('esbuild');
  const root = publicDir();
  const outdir = path.join(root, '.out'); // never written: write is false
  try {
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
      assets.set(name, {
        body: Buffer.from(f.contents),
        type: TYPES[path.extname(name)] ?? 'application/octet-stream',
      });
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
  } finally {
    // The bundle is kept for the life of the process (or written to dist/): esbuild's helper is not needed any more.
    void esbuild.stop();
  }
}

/** Writes a bundle as files plus a manifest (the build step). */
export async function writeBundle(bundle: Bundle, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: Manifest = { html: bundle.html, assets: {} };
  for (const [name, asset] of bundle.assets) {
    await writeFile(path.join(dir, name), asset.body);
    manifest.assets[name] = asset.type;
  }
  await writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest));
}

async function readBundle(dir: string): Promise<Bundle> {
  const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(manifest.assets)) {
    assets.set(name, { body: await readFile(path.join(dir, name)), type });
  }
  return { assets, html: manifest.html };
}

let cached: Promise<Bundle> | null = null;

/** The bundle: the one `npm run build` wrote when there is one, else built once per process. Failures retry. */
export function getBundle(): Promise<Bundle> {
  if (!cached) {
    const dir = prebuiltDir();
    cached = existsSync(path.join(dir, MANIFEST)) ? readBundle(dir) : bundlePages();
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
