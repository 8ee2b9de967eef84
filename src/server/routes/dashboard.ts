// The dashboard: the single page Vite builds from src/dashboard into
// dist/dashboard, served at `/`. Only the files found there at start-up are
// served (no path from a request ever reaches the file system), from memory,
// gzipped when the client accepts it. Hashed assets are cached for good;
// index.html is revalidated so a new build is picked up.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};

interface Asset {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  cache: string;
}

/**
 * Where the built dashboard is: next to the bundle that holds this module
 * (dist/dashboard, in a checkout as in an installed package), or, when this
 * module runs from source (tests, tsx), in the checkout's dist/dashboard.
 */
export function findDashboardDir(): string | undefined {
  for (const rel of ['./dashboard/', '../../../dist/dashboard/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) {
        const type = TYPES[path.extname(entry.name).toLowerCase()];
        if (!type) continue;
        const body = readFileSync(path.join(dir, rel));
        const hashed = rel.startsWith('assets/');
        const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 1024;
        assets.set(rel, {
          body,
          gzip: compressible ? gzipSync(body, { level: 9 }) : undefined,
          type,
          cache: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
    }
  };
  walk('');
  return assets;
}

function send(req: FastifyRequest, reply: FastifyReply, asset: Asset) {
  reply.header('content-type', asset.type).header('cache-control', asset.cache).header('vary', 'accept-encoding');
  if (asset.type.startsWith('text/html')) reply.headers(SECURITY_HEADERS);
  const accepts = String(req.headers['accept-encoding'] ?? '');
  if (asset.gzip && /\bgzip\b/.test(accepts)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

export function dashboardRoutes(app: FastifyInstance, dir: string | undefined = findDashboardDir()): void {
  if (!dir) {
    app.get('/', async (_req, reply) =>
      reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The dashboard is not built: run `npm run build` (it writes dist/dashboard), then restart the service.\n'),
    );
    return;
  }
  const assets = loadAssets(dir);
  const index = assets.get('index.html')!;
  app.get('/', async (req, reply) => send(req, reply, index));
  app.get('/assets/*', async (req, reply) => {
    const asset = assets.get(`assets/${(req.params as { '*': string })['*']}`);
    if (!asset) return reply.callNotFound();
    return send(req, reply, asset);
  });
  // Top-level files Vite copied from public/ (favicon and the like).
  for (const [rel, asset] of assets) {
    if (rel === 'index.html' || rel.includes('/')) continue;
    app.get(`/${rel}`, async (req, reply) => send(req, reply, asset));
  }
}
