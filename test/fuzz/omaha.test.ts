// Fuzzing the Omaha endpoint (POST /v1/update/) of a real `serve`: the
// bodies update_engine, `instance fake` and `watch` send, with good and
// hostile values, many apps and events, and byte-level mutations. Every reply
// is a 200 that parses and answers each app, or a 400; never a 5xx; and no
// exchange changes apps, channels, packages, groups or users.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseRequest, parseResponse } from '../../src/omaha/index.js';
import { describeEngines } from '../server/helpers.js';
import { FuzzTarget, assertProperty, fuzzSettings, testTimeout } from './harness.js';
import { omahaRequest } from './omaha-generators.js';
import { describeRequest, type FuzzRequest } from './request.js';
import type { Reply } from './harness.js';

const OMAHA_RUN = fuzzSettings({ runs: 300, seconds: 10 });

/** A 200 must be a reply the client can read, with one answer per app it asked about. */
function checkReply(r: FuzzRequest, reply: Reply): void {
  if (reply.status !== 200) return;
  const fail = (why: string) => {
    throw new Error(`${why}\n  request: ${describeRequest(r)}\n  reply:   ${reply.text.slice(0, 400)}`);
  };
  let apps: number;
  try {
    apps = parseResponse(reply.text).apps.length;
  } catch (err) {
    return fail(`a 200 whose body is not an Omaha reply (${(err as Error).message})`);
  }
  const asked = parseRequest(Buffer.from(r.body ?? '')).apps.length;
  if (apps !== asked) fail(`${asked} apps asked about, ${apps} answered`);
}

describeEngines('fuzz: the Omaha endpoint', (engine) => {
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await FuzzTarget.start(engine);
  });
  afterAll(async () => {
    if (target) console.log(`[fuzz] ${engine} Omaha replies: ${target.summary()}`);
    await target?.close();
  });

  it(
    'random and mutated bodies: a reply or a 400, never a 5xx, and no change to the catalog',
    async () => {
      const property = fc.asyncProperty(fc.array(omahaRequest, { minLength: 1, maxLength: 8 }), async (requests) => {
        for (const r of requests) checkReply(r, await target.exchange(r));
        if (!(await target.healthy())) throw new Error('the health check failed after the run');
      });
      await assertProperty(`${engine} Omaha`, property, OMAHA_RUN);
      expect(await target.healthy()).toBe(true);
      expect(await target.integrity()).toBe('ok');
    },
    testTimeout(OMAHA_RUN),
  );
});
