import { describe, expect, it } from 'vitest';
import {
  EventResult,
  EventType,
  buildRequest,
  parseRequest,
  type OmahaRequest,
  type RequestApp,
  type RequestEvent,
} from '../../src/omaha/index.js';
import { recordedRequests, updateEngineRequest } from './fixtures.js';

const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';

/** The request `instance fake` assembles (attributes as the original set them). */
function fakeRequest(fields: {
  version: string;
  bootId: string;
  machineId: string;
  updateCheck?: boolean;
  ping?: boolean;
  event?: RequestEvent;
}): OmahaRequest {
  const app: RequestApp = {
    appId: APP_ID,
    version: fields.version,
    track: 'fake1',
    bootId: fields.bootId,
    machineId: fields.machineId,
    oem: 'fakeclient',
    events: fields.event ? [fields.event] : [],
  };
  if (fields.updateCheck) app.updateCheck = {};
  if (fields.ping) app.ping = { r: '1', status: '1' };
  return {
    protocol: '3.0',
    installSource: 'scheduler',
    os: { platform: 'CoreOS', version: 'lsb' },
    apps: [app],
  };
}

/** The request `watch` assembles: braces around the appid, no installsource. */
function watchRequest(version: string, bootId: string, machineId: string): OmahaRequest {
  return {
    protocol: '3.0',
    os: { platform: 'CoreOS', version: 'lsb' },
    apps: [
      {
        appId: `{${APP_ID}}`,
        version,
        track: 'fake1',
        bootId,
        machineId,
        updateCheck: {},
        events: [{ eventType: EventType.DownloadComplete, eventResult: EventResult.Error }],
      },
    ],
  };
}

describe('buildRequest reproduces the original client byte for byte', () => {
  it('instance fake: update check with event 3/2', () => {
    const request = fakeRequest({
      version: '1.0.0',
      bootId: 'b3dc943a-4844-475a-9577-7648524ef8f1',
      machineId: 'deadbeefac951f5e8540c87dbd988de8',
      updateCheck: true,
      event: { eventType: EventType.UpdateComplete, eventResult: EventResult.SuccessReboot },
    });
    expect(buildRequest(request)).toBe(recordedRequests.fakeCheck);
  });

  it('instance fake: event-only requests', () => {
    const common = {
      bootId: 'b3dc943a-4844-475a-9577-7648524ef8f1',
      machineId: 'deadbeefac951f5e8540c87dbd988de8',
    };
    expect(
      buildRequest(fakeRequest({ ...common, version: '1.0.0', event: { eventType: 13, eventResult: 1 } })),
    ).toBe(recordedRequests.fakeDownloadStarted);

    const other = { bootId: 'aa18680b-2802-4792-b723-b3789c291606', machineId: 'deadbeefac951f2eb7fa2af37f2a6755' };
    expect(buildRequest(fakeRequest({ ...other, version: '1.0.0', event: { eventType: 3, eventResult: 1 } }))).toBe(
      recordedRequests.fakeInstalled,
    );
    expect(buildRequest(fakeRequest({ ...other, version: '1.1.0', event: { eventType: 3, eventResult: 2 } }))).toBe(
      recordedRequests.fakeCompleteNewVersion,
    );
  });

  it('instance fake: error event carries errorcode after the result', () => {
    const request = fakeRequest({
      version: '1.0.0',
      bootId: 'ace26071-0140-480d-a0b2-4d851736e432',
      machineId: 'deadbeef485d6e8f829037e407415230',
      event: { eventType: 3, eventResult: 0, errorCode: 2000 },
    });
    expect(buildRequest(request)).toBe(recordedRequests.fakeErrorEvent);
  });

  it('instance fake --ping-only: ping r then status', () => {
    const request = fakeRequest({
      version: '1.0.0',
      bootId: '686180b4-d7dc-4cd6-a135-25ec0542dff0',
      machineId: 'deadbeefcc7e10f4b3e34f22ff3a1cce',
      ping: true,
    });
    expect(buildRequest(request)).toBe(recordedRequests.fakePing);
  });

  it('v1.4 instance fake machine ids', () => {
    const request = fakeRequest({
      version: '1.0.0',
      bootId: '7845514f-beff-4412-b457-7f47dc42ca5e',
      machineId: 'fake-0056ec-edc836168b5248e0bc9b4df978bd3ed9',
      updateCheck: true,
      event: { eventType: 3, eventResult: 2 },
    });
    expect(buildRequest(request)).toBe(recordedRequests.fakeV14Check);
  });

  it('watch: braces, no installsource, event 1/0', () => {
    expect(
      buildRequest(watchRequest('0.0.0', 'ee07eb6b-b534-4036-a9f0-3d0fd93cf8d5', 'b41a6546-6101-4e59-9cb0-1c639acc4582')),
    ).toBe(recordedRequests.watchCheck);
    expect(
      buildRequest(watchRequest('1.0.0', 'b954e68d-1fdf-425c-8afe-297b25e978d2', '11111111-2222-3333-4444-555555555555')),
    ).toBe(recordedRequests.watchCheckClientId);
  });

  it('every recorded request survives parse → build unchanged', () => {
    for (const body of Object.values(recordedRequests)) {
      expect(buildRequest(parseRequest(body))).toBe(body);
    }
  });
});

describe('parseRequest', () => {
  it('reads a recorded fake request', () => {
    expect(parseRequest(recordedRequests.fakeErrorEvent)).toEqual({
      protocol: '3.0',
      installSource: 'scheduler',
      os: { platform: 'CoreOS', version: 'lsb' },
      apps: [
        {
          appId: APP_ID,
          version: '1.0.0',
          track: 'fake1',
          bootId: 'ace26071-0140-480d-a0b2-4d851736e432',
          machineId: 'deadbeef485d6e8f829037e407415230',
          oem: 'fakeclient',
          events: [{ eventType: 3, eventResult: 0, errorCode: 2000 }],
        },
      ],
    });
  });

  it("reads every field of update_engine's request", () => {
    const request = parseRequest(updateEngineRequest);
    expect(request).toEqual({
      protocol: '3.0',
      version: 'update_engine-0.4.10',
      updaterVersion: 'update_engine-0.4.10',
      installSource: 'scheduler',
      isMachine: '1',
      os: { version: 'Chateau', platform: 'CoreOS', sp: '3033.1.0_x86_64' },
      apps: [
        {
          appId: '{e96281a6-d1af-4bde-9a0a-97b76e56dc57}',
          version: '3033.1.0',
          track: 'stable',
          bootId: '{0d2e4bd5-3a5c-4a4b-8e1c-6c5b1e7f4c2a}',
          oem: 'qemu',
          oemVersion: '0.0.1',
          alephVersion: '3033.1.0',
          machineId: '8b10fc6d30ca49b2b1a28185f03d522b',
          machineAlias: '',
          lang: 'en-US',
          board: 'amd64-usr',
          hardwareClass: '',
          deltaOkay: 'false',
          ping: { active: '1' },
          updateCheck: {},
          events: [{ eventType: 3, eventResult: 2, previousVersion: '0.0.0.0' }],
        },
      ],
    });
  });

  it('preserves the appid exactly as sent, braces and case included', () => {
    const body = recordedRequests.watchCheck.replace(APP_ID, APP_ID.toUpperCase());
    const [app] = parseRequest(body).apps;
    expect(app?.appId).toBe(`{${APP_ID.toUpperCase()}}`);
  });

  it('keeps unknown attributes in extra, in document order, and writes them back', () => {
    const body =
      '<request protocol="3.0" dedup="cr" x-custom="a&amp;b">\n' +
      ' <os platform="CoreOS" version="lsb" arch="x64" kernel="6.1"></os>\n' +
      ' <app appid="{abc}" cohort="1:2" installdate="5000">\n' +
      '  <ping active="1" a="-1" r="-1" ad="-2" rd="-2" ping_freshness="{x}"></ping>\n' +
      '  <updatecheck targetversionprefix="3033." rollback_allowed="false"></updatecheck>\n' +
      '  <event eventtype="3" eventresult="0" errorcode="268435463" nextversion="2.0" download_time_ms="7"></event>\n' +
      ' </app>\n' +
      '</request>';
    const request = parseRequest(body);
    expect(request.extra).toEqual({ dedup: 'cr', 'x-custom': 'a&b' });
    expect(request.os).toEqual({ platform: 'CoreOS', version: 'lsb', arch: 'x64', extra: { kernel: '6.1' } });
    const app = request.apps[0]!;
    expect(Object.keys(app.extra ?? {})).toEqual(['cohort', 'installdate']);
    expect(app.ping).toEqual({ active: '1', a: '-1', r: '-1', ad: '-2', rd: '-2', extra: { ping_freshness: '{x}' } });
    expect(app.updateCheck).toEqual({ targetVersionPrefix: '3033.', extra: { rollback_allowed: 'false' } });
    expect(app.events).toEqual([
      { eventType: 3, eventResult: 0, errorCode: 268435463, nextVersion: '2.0', extra: { download_time_ms: '7' } },
    ]);
    expect(buildRequest(request)).toBe(body);
  });

  it('handles several apps, each with ping, updatecheck and several events', () => {
    const body = `<request protocol="3.0">
  <app appid="a"><event eventtype="13" eventresult="1"/><event eventtype="14" eventresult="1"/></app>
  <app appid="b"><ping active="1"/><updatecheck/></app>
</request>`;
    const request = parseRequest(body);
    expect(request.os).toEqual({});
    expect(request.apps.map((app) => app.appId)).toEqual(['a', 'b']);
    expect(request.apps[0]?.events.map((e) => [e.eventType, e.eventResult])).toEqual([
      [13, 1],
      [14, 1],
    ]);
    expect(request.apps[1]?.ping).toEqual({ active: '1' });
    expect(request.apps[1]?.updateCheck).toEqual({});
  });

  it('accepts a Buffer body and a leading BOM', () => {
    expect(parseRequest(Buffer.from(recordedRequests.watchCheck, 'utf8')).apps[0]?.track).toBe('fake1');
    expect(parseRequest(`\uFEFF${recordedRequests.watchCheck}`).apps[0]?.track).toBe('fake1');
  });

  it('decodes character references in attribute values', () => {
    const body = '<request protocol="3.0"><app appid="x" track="&lt;&#65;&#x42;&gt;&quot;&apos;&amp;amp;"></app></request>';
    expect(parseRequest(body).apps[0]?.track).toBe(`<AB>"'&amp;`);
  });
});

describe('request round trips (build → parse → equal)', () => {
  const samples: OmahaRequest[] = [
    fakeRequest({
      version: '1.0.0',
      bootId: 'b',
      machineId: 'm',
      updateCheck: true,
      ping: true,
      event: { eventType: 3, eventResult: 0, errorCode: -2147483648 | 2000, previousVersion: '0.9.0' },
    }),
    watchRequest('0.0.0', 'boot', 'machine'),
    {
      protocol: '3.0',
      version: 'update_engine-0.4.10',
      isMachine: '1',
      sessionId: '{s}',
      userId: '{u}',
      installSource: 'ondemandupdate',
      testSource: 'dev',
      requestId: '{r}',
      updaterVersion: 'update_engine-0.4.10',
      os: { platform: 'CoreOS', version: 'Chateau', sp: '3033.1.0_x86_64', arch: 'x86_64' },
      apps: [
        {
          appId: '{E96281A6-D1AF-4BDE-9A0A-97B76E56DC57}',
          version: '3033.1.0',
          nextVersion: '',
          lang: 'en-US',
          client: 'c',
          installAge: '7',
          status: 'ok',
          track: 'stable',
          fromTrack: 'beta',
          bootId: '{b}',
          machineId: 'm',
          oem: 'ami',
          oemVersion: '1',
          alephVersion: '2',
          machineAlias: 'host <1> & "quoted" \'single\'\ttab\nnewline',
          board: 'amd64-usr',
          hardwareClass: '',
          deltaOkay: 'false',
          ping: { active: '1', a: '-1', r: '-1' },
          updateCheck: { targetVersionPrefix: '3033.' },
          events: [
            { eventType: 13, eventResult: 1 },
            { eventType: 800, eventResult: 1, nextVersion: '3033.2.0' },
          ],
        },
        { appId: 'second', events: [] },
      ],
    },
  ];

  it.each(samples.map((sample, i) => [i, sample] as const))('sample %i', (_, sample) => {
    expect(parseRequest(buildRequest(sample))).toEqual(sample);
  });

  it('escapes every special character in attribute values', () => {
    const body = buildRequest({
      protocol: '3.0',
      os: {},
      apps: [{ appId: `a&b<c>d"e'f`, events: [] }],
    });
    expect(body).toContain('appid="a&amp;b&lt;c&gt;d&quot;e&apos;f"');
    expect(body).toBe(
      '<request protocol="3.0">\n <os></os>\n <app appid="a&amp;b&lt;c&gt;d&quot;e&apos;f"></app>\n</request>',
    );
  });
});
