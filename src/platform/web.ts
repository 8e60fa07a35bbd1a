import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Prefixes owned by the server itself: an unknown address there is a 404, never the web app. */
const serverPathPrefixes = ['/api', '/health', '/metrics'];

/** Vite's hashed build output: a missing file there is a stale reference, not an app page. */
const hashedAssetsPrefix = '/assets';

const hashedAssetCacheControl = 'public, max-age=31536000, immutable';

/** Everything else (index.html first) must be revalidated so a new build is seen at once. */
const revalidatedCacheControl = 'no-cache';

const buildLockStaleAfterMilliseconds = 10 * 60 * 1000;
const buildLockPollMilliseconds = 200;

function hasPathPrefix(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/**
 * Whether a GET for this URL that matched neither a route nor a built file should get the web
 * app's index.html, letting the app's own router show the page (or its « Page non trouvée »).
 */
export function isWebAppPath(url: string): boolean {
  const pathname = url.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith('/')) return false;
  return ![...serverPathPrefixes, hashedAssetsPrefix].some((prefix) =>
    hasPathPrefix(pathname, prefix),
  );
}

/** Answers the web app's index.html with status 200, also from inside a not-found handler. */
export function sendWebAppIndex(reply: FastifyReply): FastifyReply {
  // @fastify/static keeps any status already set on the reply, and a not-found handler starts at 404.
  return reply.code(200).sendFile('index.html');
}

/**
 * Serves the built web app at `/`. Unknown GET addresses fall through to the server's not-found
 * handler, which answers them with `sendWebAppIndex` when `isWebAppPath` says so.
 */
export async function registerWebApp(
  app: FastifyInstance,
  options: { distDir: string },
): Promise<void> {
  const distDir = path.resolve(options.distDir);
  const hashedAssetsDir = path.join(distDir, hashedAssetsPrefix.slice(1)) + path.sep;
  await app.register(fastifyStatic, {
    root: distDir,
    prefix: '/',
    cacheControl: false,
    setHeaders: (response, filePath) => {
      response.setHeader(
        'cache-control',
        filePath.startsWith(hashedAssetsDir) ? hashedAssetCacheControl : revalidatedCacheControl,
      );
    },
  });
}

async function newestModificationTime(entryPath: string): Promise<number> {
  const entry = await stat(entryPath);
  if (!entry.isDirectory()) return entry.mtimeMs;
  const children = await readdir(entryPath);
  const childTimes = await Promise.all(
    children.map((child) => newestModificationTime(path.join(entryPath, child))),
  );
  return Math.max(entry.mtimeMs, ...childTimes);
}

async function isBuildOutdated(rootDir: string, builtIndex: string): Promise<boolean> {
  let builtAt: number;
  try {
    builtAt = (await stat(builtIndex)).mtimeMs;
  } catch {
    return true;
  }
  const sources = ['web/src', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'];
  const sourceTimes = await Promise.all(
    sources.map((source) => newestModificationTime(path.join(rootDir, source)).catch(() => 0)),
  );
  return Math.max(...sourceTimes) > builtAt;
}

/**
 * Test files run in parallel processes and each may start a server: the lock keeps them from
 * building into the same folder at once. A lock left by a crashed build expires.
 */
async function withBuildLock<Result>(
  lockDir: string,
  task: () => Promise<Result>,
): Promise<Result> {
  await mkdir(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lockedAt = await stat(lockDir).then(
        (lock) => lock.mtimeMs,
        () => 0,
      );
      if (Date.now() - lockedAt > buildLockStaleAfterMilliseconds) {
        await rm(lockDir, { recursive: true, force: true });
      } else {
        await new Promise((resolve) => setTimeout(resolve, buildLockPollMilliseconds));
      }
    }
  }
  try {
    return await task();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function runWebBuild(rootDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The npm script is the one definition of the build, shared with developers and CI.
    const build = spawn('npm', ['run', 'build:web'], {
      cwd: rootDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    build.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    build.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    build.on('error', (error) =>
      reject(new Error(`Impossible de lancer « npm run build:web » : ${error.message}`)),
    );
    build.on('close', (exitCode) => {
      if (exitCode === 0) {
        resolve();
        return;
      }
      const lastLines = output.join('').trim().split('\n').slice(-40).join('\n');
      reject(
        new Error(`La construction de l'interface web a échoué (code ${exitCode}) :\n${lastLines}`),
      );
    });
  });
}

/**
 * Returns the folder of the built web app, building it first when it is missing or older than
 * its sources, so that a fresh clone or an edited page never serves a stale interface.
 */
export async function ensureWebBuilt(options: {
  rootDir: string;
  log: (message: string) => void;
}): Promise<string> {
  const rootDir = path.resolve(options.rootDir);
  const distDir = path.join(rootDir, 'web', 'dist');
  const builtIndex = path.join(distDir, 'index.html');
  if (!(await isBuildOutdated(rootDir, builtIndex))) return distDir;
  const lockDir = path.join(rootDir, 'node_modules', '.cache', 'flechage-web-build.lock');
  await withBuildLock(lockDir, async () => {
    // Another process may have finished the same build while this one waited for the lock.
    if (!(await isBuildOutdated(rootDir, builtIndex))) return;
    options.log("Construction de l'interface web…");
    const startedAt = Date.now();
    await runWebBuild(rootDir);
    const seconds = ((Date.now() - startedAt) / 1000).toLocaleString('fr-FR', {
      maximumFractionDigits: 1,
    });
    options.log(`Interface web construite en ${seconds} s.`);
  });
  return distDir;
}
