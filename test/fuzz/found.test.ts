// What the fuzz suite found, each kept fixed by a plain test: a repeated
// query parameter, a request line node refuses, a body nested too deep for
// recursion, a JSON error quoting a line break, and NUL characters (which
// PostgreSQL cannot store) in bodies, paths and queries.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_BASE_PATH } from '../../src/api/types.js';
import { APP_ID, describeEngines } from '../server/helpers.js';
import { FuzzTarget } from './harness.js';

const api = (path: string) => `${API_BASE_PATH}${path}`;

describeEngines('fuzz findings', (engine) => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await FuzzTarget.start(engine);
  });
  afterAll(() => target?.close());

  const send = (method: string, path: string, body?: string) =>
    target.send({ family: 'finding', method, target: path, headers: { 'content-type': 'application/json' }, body, sign: { kind: 'raw' } });
  const error = (text: string) => (JSON.parse(text) as { error: { code: number; message: string } }).error;

  it('a query parameter given twice keeps its first value instead of failing with 500', async () => {
    const rollup = await send('GET', api(`apps/${APP_ID}/groups/fake1/requests/versions/0/0?alt=json&versions=1.0.0&versions=`));
    expect(rollup.status, rollup.text).toBe(200);
    const packages = await send('GET', api(`apps/${APP_ID}/packages?alt=json&version=1.0.0&version=1.1.0`));
    expect(packages.status, packages.text).toBe(200);
    expect((JSON.parse(packages.text) as { items: { version: string }[] }).items.map((p) => p.version)).toEqual(['1.0.0']);
    for (const path of [`appversions?appId=${APP_ID}&appId=other`, 'clientupdates?oem=a&oem=b&limit=1&limit=2', 'client/history?clientId=a&clientId=b']) {
      const reply = await send('GET', api(`${path}&alt=json`));
      expect(reply.status, `${path}: ${reply.text}`).toBe(200);
    }
    expect((await send('GET', api('apps?alt=json&alt=xml'))).status).toBe(200);
  });

  it('a request line with a byte node refuses gets a 400 in the API error shape', async () => {
    const reply = await send('GET', api('apps?alt=json&x=\u00e9'));
    expect(reply.status).toBe(400);
    expect(error(reply.text)).toMatchObject({ code: 400, message: expect.stringContaining('malformed HTTP request') });
    expect(await target.healthy()).toBe(true);
  });

  it('a body nested 100,000 levels deep gets a 400, not a 500; a lone surrogate deep inside is still named', async () => {
    const depth = 100_000;
    const deep = await send('PATCH', api(`apps/${APP_ID}?alt=json`), `{"label":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(deep.status, deep.text.slice(0, 200)).toBe(400);
    expect(error(deep.text).message).toContain('invalid label');
    const surrogate = await send('PATCH', api(`apps/${APP_ID}?alt=json`), '{"label":"ok","description":"ok","x":[{"y":["fine","\\ud800"]}]}');
    expect(surrogate.status).toBe(400);
    expect(error(surrogate.text).message).toBe('invalid x[0].y[1]: contains an unpaired UTF-16 surrogate (\\ud800-\\udfff): not text');
  });

  it('an error message quoting a line break of the request stays one line', async () => {
    const reply = await send('POST', api('apps?alt=json'), 'line\nbreak{}');
    expect(reply.status).toBe(400);
    const message = error(reply.text).message;
    expect(message).toMatch(/^invalid JSON body: /);
    expect(message).toContain('line\\nbreak');
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('NUL in a body, a path or a query gets a 400 naming the field, and nothing is stored', async () => {
    const cases: [method: string, path: string, body: string | undefined, field: string][] = [
      ['POST', 'apps?alt=json', JSON.stringify({ id: 'nul-app', label: 'a\u0000b' }), 'label'],
      ['POST', 'apps?alt=json', JSON.stringify({ id: 'nul\u0000app' }), 'id'],
      ['PATCH', `apps/${APP_ID}?alt=json`, JSON.stringify({ label: 'FakeApp', description: '\u0000' }), 'description'],
      ['POST', 'admin/user?alt=json', JSON.stringify({ userName: 'x', 'k\u0000': 1 }), 'k\\u0000'],
      ['GET', 'apps/a%00b?alt=json', undefined, 'id'],
      ['DELETE', `apps/${APP_ID}/packages/%00a?alt=json`, undefined, 'version'],
      ['GET', 'admin/user/a%00b?alt=json', undefined, 'userName'],
      ['GET', 'clientupdates?alt=json&clientId=a%00b', undefined, 'clientId'],
      ['GET', `apps/${APP_ID}/packages?alt=json&version=%00`, undefined, 'version'],
    ];
    const before = await target.snapshot();
    for (const [method, path, body, field] of cases) {
      const reply = await send(method, api(path), body);
      expect(reply.status, `${method} ${path}: ${reply.text}`).toBe(400);
      expect(error(reply.text).message).toBe(`invalid ${field}: contains a NUL character (\\u0000)`);
    }
    expect(await target.snapshot()).toBe(before);
  });
});
