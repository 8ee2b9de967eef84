// Seed 000's walkthrough, sped up: ten fake instances at 1.0.0 in a group
// limited to 2 updates per 5 s; the channel is promoted to 1.1.0; the
// instances update at no more than 2 per 5 s until all ten run 1.1.0. The
// clients are a small loop speaking exactly what `instance fake` sends.
import { expect, it } from 'vitest';
import { requests, type Shape } from './fixtures/omaha-requests.js';
import { APP_ID, describeEngines, startTestServer } from './helpers.js';
import { expectValidReply, postOmaha, setUpApp } from './omaha-helpers.js';

const CLIENTS = 10;
const INTERVAL_S = 5;

describeEngines('seed 000 walkthrough (2 per 5 s)', (engine) => {
  it('all ten instances move to 1.1.0, at most 2 grants in any 5-s window', async () => {
    const t = await startTestServer(engine);
    const lines: string[] = [];
    let stop = false;
    try {
      await setUpApp(t.client, { version: '1.0.0', group: { updateCount: 2, updateInterval: INTERVAL_S } });

      const fake = async (i: number) => {
        const s: Shape = { appId: APP_ID, version: '1.0.0', track: 'fake1', machineId: `deadbeef${String(i).padStart(24, '0')}` };
        const send = async (body: string) => expectValidReply(body, await postOmaha(t.url, body))[0]!;
        while (!stop) {
          const app = await send(requests.fakeCheck(s));
          if (app.updateCheck!.status === 'ok') {
            const next = app.updateCheck!.manifest!.version;
            for (const [type, result] of [[13, 1], [14, 1], [3, 1]] as const) await send(requests.fakeEvent(s, type, result));
            lines.push(`${s.machineId}: updated from ${s.version} to ${next}`);
            s.version = next;
            await send(requests.fakeEvent(s, 3, 2));
          }
          await new Promise((r) => setTimeout(r, 150 + Math.random() * 150));
        }
      };
      const running = Array.from({ length: CLIENTS }, (_, i) => fake(i));

      await new Promise((r) => setTimeout(r, 600));
      expect(lines).toEqual([]); // on the channel's version: nothing to do
      await t.client.updateChannel(APP_ID, 'stable', { appId: APP_ID, label: 'stable', version: '1.1.0' });

      const deadline = Date.now() + 45_000;
      while (lines.length < CLIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      stop = true;
      await Promise.all(running);

      expect(lines).toHaveLength(CLIENTS);
      for (const line of lines) expect(line).toMatch(/^deadbeef\d{24}: updated from 1\.0\.0 to 1\.1\.0$/);

      const grants = (await t.server.store.db.selectFrom('grants').select('granted_at').orderBy('granted_at').execute()).map((g) => Number(g.granted_at));
      expect(grants).toHaveLength(CLIENTS);
      for (let i = 2; i < grants.length; i++) expect(grants[i]! - grants[i - 2]!).toBeGreaterThanOrEqual(INTERVAL_S * 1000);

      const versions = await t.client.appVersions({ appId: APP_ID, groupId: 'fake1' });
      expect(versions.items).toEqual([{ appId: APP_ID, groupId: 'fake1', version: '1.1.0', count: CLIENTS }]);
      const rollup = await t.client.rollupVersions(APP_ID, 'fake1', '0', '0', { resolution: '60' });
      expect(rollup.items!.map((i) => i.version)).toEqual(['1.1.0', '1.0.0']);
      const states = await t.server.store.db.selectFrom('instances').select(['status', 'granted_version']).execute();
      expect(states.every((s) => s.status === 'complete' && s.granted_version === null)).toBe(true);
    } finally {
      stop = true;
      await t.close();
    }
  }, 90_000);
});
