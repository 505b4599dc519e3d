import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Docker does not run on the development machines, so the tests run the Dockerfile's own steps: each stage gets
 * a folder standing for its file system; WORKDIR, ENV, COPY (from the build context or `--from` a stage) and RUN
 * are done there, in order; CMD and HEALTHCHECK are returned for the test to run. USER, EXPOSE and the base image
 * are recorded, not emulated.
 */
export interface Stage {
  name: string;
  base: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  cmd?: string[];
  healthcheck?: string[];
}

export interface Instruction {
  op: string;
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\w+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`cannot parse Dockerfile line: ${l}`);
      return { op: m[1]!.toUpperCase(), args: m[2]!.trim() };
    });
}

/** Inside the stage's folder: /app -> <root>/app. */
function inStage(stage: Stage, p: string): string {
  return path.join(stage.root, path.isAbsolute(p) ? p : path.join(stage.workdir, p));
}

function execForm(args: string): string[] {
  const json = args.replace(/^(--\S+\s+)*CMD\s+/, '');
  if (!json.startsWith('[')) throw new Error(`expected the exec form ["..."], got: ${args}`);
  return JSON.parse(json) as string[];
}

/**
 * Runs every stage of `dockerfile` with `context` as the build context, each under `work/<stage>`.
 * `runEnv` is added to every RUN (an npm cache, say).
 */
export function runDockerfile(
  dockerfile: string,
  context: string,
  work: string,
  runEnv: Record<string, string> = {},
): Map<string, Stage> {
  const stages = new Map<string, Stage>();
  let stage: Stage | undefined;
  for (const { op, args } of parseDockerfile(readFileSync(dockerfile, 'utf8'))) {
    if (op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      const name = m[2] ?? String(stages.size);
      stage = { name, base: m[1]!, root: path.join(work, name), workdir: '/', env: {} };
      mkdirSync(stage.root, { recursive: true });
      stages.set(name, stage);
      continue;
    }
    if (!stage) throw new Error(`${op} before FROM`);
    switch (op) {
      case 'WORKDIR':
        stage.workdir = path.posix.resolve(stage.workdir, args);
        mkdirSync(inStage(stage, '.'), { recursive: true });
        break;
      case 'ENV': {
        const m = /^(\w+)[=\s]+(.*)$/.exec(args)!;
        stage.env[m[1]!] = m[2]!;
        break;
      }
      case 'COPY': {
        const words = args.split(/\s+/);
        const flags = words.filter((w) => w.startsWith('--'));
        const paths = words.filter((w) => !w.startsWith('--'));
        const dest = paths.pop()!;
        const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
        const source = from ? stages.get(from) : undefined;
        if (from && !source) throw new Error(`COPY --from=${from}: no such stage`);
        for (const src of paths) {
          const abs = source ? inStage(source, src) : path.join(context, src);
          const target = inStage(stage, dest);
          const into = dest.endsWith('/') && src !== '.' ? path.join(target, path.basename(src)) : target;
          cpSync(abs, into, { recursive: true });
        }
        break;
      }
      case 'RUN': {
        const r = spawnSync('sh', ['-c', args], {
          cwd: inStage(stage, '.'),
          env: { ...process.env, ...stage.env, ...runEnv },
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        if (r.status !== 0) throw new Error(`RUN ${args} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
        break;
      }
      case 'USER':
        stage.user = args;
        break;
      case 'CMD':
        stage.cmd = execForm(args);
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = execForm(args);
        break;
      case 'EXPOSE':
      case 'LABEL':
      case 'ARG':
        break;
      default:
        throw new Error(`the Dockerfile test does not know ${op}`);
    }
  }
  return stages;
}

/** The build context: the working tree's files (tracked and new, not ignored) less what .dockerignore leaves out. */
export function buildContext(repo: string, into: string): void {
  const ignore = readFileSync(path.join(repo, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = (file: string) =>
    ignore.some((pattern) => {
      const p = pattern.replace(/^\*\*\//, '');
      if (p.startsWith('*.')) return file.endsWith(p.slice(1));
      const parts = file.split('/');
      return pattern.startsWith('**/') ? parts.includes(p) : file === p || file.startsWith(`${p}/`);
    });
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && !ignored(f));
  for (const f of files) {
    const target = path.join(into, f);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      cpSync(path.join(repo, f), target);
    } catch (err) {
      // a file deleted in the working tree but still tracked
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
