// Fuzzing what a real `serve` answers outside the v1 API: payload uploads
// (multipart, signed), payload downloads with byte ranges, the health and
// init endpoints, backups and the dashboard's files. No 5xx, still healthy,
// and a refused upload leaves neither a row nor a file behind.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEngines } from '../server/helpers.js';
import { FuzzTarget, assertProperty, fuzzSettings, testTimeout } from './harness.js';
import { withShortForm, type FuzzRequest, type Signing } from './request.js';
import { encodeSegment, hostileString, rawUrlPiece } from './strings.js';

const EDGE_RUN = fuzzSettings({ runs: 150, seconds: 6 });

const GOOD_NAMES = ['update.gz', 'flatcar_production_update.gz', 'a.b-c_1+2', 'payload.bin'];
const fileName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GOOD_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom('../escape.gz', '..\\escape.gz', '.upload-x', 'a/b.gz', '', '.', '..', '/etc/passwd', 'C:\\x.gz', 'x'.repeat(200), 'x'.repeat(201), 'name"quote.gz', 'n\u00e9.gz') },
  { weight: 2, arbitrary: hostileString },
);

interface UploadShape {
  field: string;
  name: string | null;
  data: Uint8Array;
  boundary: string;
  declaredBoundary: string | null;
  extraPart: boolean;
  cut: number | null;
}

const uploadShape: fc.Arbitrary<UploadShape> = fc.record({
  field: fc.oneof({ weight: 8, arbitrary: fc.constant('file') }, { weight: 1, arbitrary: fc.constantFrom('File', 'files', '', 'file"') }),
  name: fc.option(fileName, { freq: 12 }),
  data: fc.uint8Array({ maxLength: 256 }),
  boundary: fc.constantFrom('fuzzboundary', 'x', '----WebKitFormBoundary7MA4YWxkTrZu0gW'),
  declaredBoundary: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('', 'other', '"quoted"') }),
  extraPart: fc.boolean(),
  cut: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
});

function multipart(u: UploadShape): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  if (u.extraPart) parts.push(Buffer.from(`--${u.boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n`));
  const disposition = `form-data; name="${u.field}"${u.name === null ? '' : `; filename="${u.name}"`}`;
  parts.push(Buffer.from(`--${u.boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'));
  parts.push(Buffer.from(u.data), Buffer.from(`\r\n--${u.boundary}--\r\n`));
  let body = Buffer.concat(parts);
  if (u.cut !== null) body = body.subarray(0, Math.floor(u.cut * body.length));
  return { body, contentType: `multipart/form-data; boundary=${u.declaredBoundary ?? u.boundary}` };
}

const signing: fc.Arbitrary<Signing> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<Signing>({ kind: 'client' }, { kind: 'raw' }) },
  { weight: 1, arbitrary: fc.constantFrom<Signing>({ kind: 'none' }, { kind: 'forged', how: 'bad-mac' }, { kind: 'forged', how: 'stale' }) },
);

const upload: fc.Arbitrary<FuzzRequest> = fc
  .tuple(uploadShape, signing, fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'multipart/mixed; boundary=x') }))
  .map(([u, sign, otherType]) => {
    const { body, contentType } = multipart(u);
    return { family: 'POST /package-upload', method: 'POST', target: '/package-upload', headers: { 'content-type': otherType ?? contentType }, body, sign };
  });

const download: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GOOD_NAMES) }, { weight: 2, arbitrary: hostileString.map(encodeSegment) }, { weight: 2, arbitrary: rawUrlPiece }),
    fc.constantFrom('GET', 'HEAD'),
    fc.option(fc.oneof(fc.constantFrom('bytes=0-0', 'bytes=-5', 'bytes=5-', 'bytes=0-', 'bytes=9999999999-', 'bytes=3-1', 'bytes=0-1,2-3', 'bytes=a-b', 'bytes=--1', 'items=0-1', 'bytes=99999999999999999999-'), fc.string({ unit: 'grapheme-ascii', maxLength: 20 })), { freq: 2 }),
  )
  .map(([name, method, range]): FuzzRequest => ({ family: `${method} /packages/:name`, method, target: `/packages/${name}`, headers: range === null ? {} : { range }, sign: { kind: 'none' } }));

const other: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom('/health', '/admin/v1/init', '/db/backup', '/', '/index.html', '/assets/x.js', '/assets/%2e%2e/%2e%2e/package.json', '/favicon.ico', '/%ZZ', '/packages/'), fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'DELETE'), signing)
  .map(([target, method, sign]): FuzzRequest => ({ family: `${method} ${target}`, method, target, headers: {}, sign }));

const edgeRequest = fc.oneof({ weight: 4, arbitrary: upload }, { weight: 4, arbitrary: download }, { weight: 1, arbitrary: other }).map(withShortForm);

describeEngines('fuzz: payloads, health, init, backups', (engine) => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await FuzzTarget.start(engine);
  });
  afterAll(async () => {
    if (target) console.log(`[fuzz] ${engine} edge replies: ${target.summary()}`);
    await target?.close();
  });

  it(
    'random and mutated uploads and downloads: no 5xx, still healthy, refused uploads leave nothing',
    async () => {
      const property = fc.asyncProperty(fc.array(edgeRequest, { minLength: 1, maxLength: 8 }), async (requests) => {
        for (const r of requests) await target.exchange(r);
        if (!(await target.healthy())) throw new Error('the health check failed after the run');
      });
      await assertProperty(`${engine} payloads and system routes`, property, EDGE_RUN);
      expect(await target.healthy()).toBe(true);
    },
    testTimeout(EDGE_RUN),
  );
});
