import { describe, expect, it } from 'vitest';
import {
  OMAHA_PROTOCOL,
  SERVER_NAME,
  buildResponse,
  parseResponse,
  type OmahaResponse,
} from '../../src/omaha/index.js';
import { recordedResponses } from './fixtures.js';

const APP_ID = '{e96281a6-d1af-4bde-9a0a-97b76e56dc57}';

/** The full reply of the protocol notes: event ack, ping ack and an update. */
const fullReply: OmahaResponse = {
  protocol: OMAHA_PROTOCOL,
  server: SERVER_NAME,
  dayStart: { elapsedSeconds: 49008, elapsedDays: 7265 },
  apps: [
    {
      appId: APP_ID,
      status: 'ok',
      events: [{ status: 'ok' }],
      ping: { status: 'ok' },
      updateCheck: {
        status: 'ok',
        urls: ['https://packages.example.com/amd64-usr/3033.2.0/'],
        manifest: {
          version: '3033.2.0',
          packages: [{ name: 'update.gz', hash: 'm4eqJIl18nb4SPWQVCdVCLTwAxE=', size: 465881871, required: false }],
          actions: [
            {
              event: 'postinstall',
              sha256: 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=',
              needsAdmin: false,
              isDelta: false,
              disablePayloadBackoff: true,
              metadataSignatureRsa: 'c2lnbmF0dXJl',
              metadataSize: 190,
            },
          ],
        },
      },
    },
  ],
};

const fullReplyXml = `<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="updateservice">
 <daystart elapsed_seconds="49008" elapsed_days="7265"></daystart>
 <app appid="{e96281a6-d1af-4bde-9a0a-97b76e56dc57}" status="ok">
  <event status="ok"></event>
  <ping status="ok"></ping>
  <updatecheck status="ok">
   <urls>
    <url codebase="https://packages.example.com/amd64-usr/3033.2.0/"></url>
   </urls>
   <manifest version="3033.2.0">
    <packages>
     <package name="update.gz" hash="m4eqJIl18nb4SPWQVCdVCLTwAxE=" size="465881871" required="false"></package>
    </packages>
    <actions>
     <action event="postinstall" sha256="YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=" needsadmin="false" IsDelta="false" DisablePayloadBackoff="true" MetadataSignatureRsa="c2lnbmF0dXJl" MetadataSize="190"></action>
    </actions>
   </manifest>
  </updatecheck>
 </app>
</response>
`;

describe('buildResponse', () => {
  it('writes the reply layout: declaration, one-space indent, explicit close tags', () => {
    expect(buildResponse(fullReply)).toBe(fullReplyXml);
  });

  it('writes noupdate with PollInterval, and event acks only', () => {
    const xml = buildResponse({
      protocol: '3.0',
      server: 'updateservice',
      dayStart: { elapsedSeconds: 0 },
      apps: [
        { appId: 'a', status: 'ok', events: [{ status: 'ok' }, { status: 'ok' }] },
        { appId: 'b', status: 'ok', events: [], updateCheck: { status: 'noupdate', pollInterval: 3600 } },
        { appId: 'c', status: 'error-unknownApplication', events: [], updateCheck: { status: 'error-unknownApplication' } },
      ],
    });
    expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="updateservice">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="a" status="ok">
  <event status="ok"></event>
  <event status="ok"></event>
 </app>
 <app appid="b" status="ok">
  <updatecheck status="noupdate" PollInterval="3600"></updatecheck>
 </app>
 <app appid="c" status="error-unknownApplication">
  <updatecheck status="error-unknownApplication"></updatecheck>
 </app>
</response>
`);
  });

  it('has no default namespace and no self-closing tags', () => {
    const xml = buildResponse(fullReply);
    expect(xml).not.toContain('xmlns');
    expect(xml).not.toMatch(/\/>/);
  });

  it('escapes echoed values', () => {
    const xml = buildResponse({
      protocol: '3.0',
      server: 'updateservice',
      apps: [{ appId: `"><script>&'`, status: 'ok', events: [] }],
    });
    expect(xml).toContain('appid="&quot;&gt;&lt;script&gt;&amp;&apos;"');
    expect(parseResponse(xml).apps[0]?.appId).toBe(`"><script>&'`);
  });

  it('replaces characters XML cannot carry', () => {
    const xml = buildResponse({ protocol: '3.0', server: 's', apps: [{ appId: 'a\u0000b\uD800c', events: [] }] });
    expect(parseResponse(xml).apps[0]?.appId).toBe('a\uFFFDb\uFFFDc');
  });

  it('refuses extra attribute names that would break the document', () => {
    expect(() =>
      buildResponse({ protocol: '3.0', server: 's', apps: [], extra: { 'bad name="x"': 'v' } }),
    ).toThrow(TypeError);
  });
});

describe('response round trips (build → parse → equal)', () => {
  const samples: OmahaResponse[] = [
    fullReply,
    { protocol: '3.0', server: 'updateservice', apps: [] },
    {
      protocol: '3.0',
      server: 'updateservice',
      extra: { note: 'x' },
      dayStart: { elapsedSeconds: 1, elapsedDays: 2, extra: { tz: 'UTC' } },
      apps: [
        {
          appId: 'x',
          events: [{ status: 'ok', extra: { id: '1' } }],
          ping: { status: 'ok' },
          updateCheck: {
            status: 'ok',
            pollInterval: 2700,
            urls: ['https://a.example/1/', 'https://b.example/1/?q=1&r=2'],
            manifest: {
              version: '1.0.0',
              packages: [
                { name: 'update.gz', hash: 'h', size: 1, required: true, extra: { fp: 'f' } },
                { name: 'oem.gz' },
              ],
              actions: [
                {
                  event: 'postinstall',
                  chromeOsVersion: '',
                  sha256: 's',
                  needsAdmin: true,
                  isDelta: true,
                  disablePayloadBackoff: false,
                  metadataSignatureRsa: 'r',
                  metadataSize: 9,
                  deadline: 'now',
                  extra: { MaxDaysToScatter: '14' },
                },
              ],
            },
          },
        },
      ],
    },
    {
      protocol: '3.0',
      server: 'updateservice',
      apps: [{ appId: 'y', events: [], updateCheck: { status: 'ok', urls: [], manifest: { version: '2', packages: [], actions: [] } } }],
    },
  ];

  it.each(samples.map((sample, i) => [i, sample] as const))('sample %i', (_, sample) => {
    const xml = buildResponse(sample);
    expect(parseResponse(xml)).toEqual(sample);
    expect(buildResponse(parseResponse(xml))).toBe(xml);
  });
});

describe('parseResponse reads replies of go-omaha based servers', () => {
  it('update available', () => {
    expect(parseResponse(recordedResponses.updateOk)).toEqual({
      protocol: '3.0',
      server: 'update.core-os.net',
      dayStart: { elapsedSeconds: 0 },
      apps: [
        {
          appId: 'e96281a6-d1af-4bde-9a0a-97b76e56dc57',
          status: 'ok',
          events: [],
          updateCheck: {
            status: 'ok',
            urls: ['https://example.com/packages/1.1.0/'],
            manifest: {
              version: '1.1.0',
              packages: [{ hash: 'm4eqJIl18nb4SPWQVCdVCLTwAxE=', name: 'update.gz', size: 1024, required: false }],
              actions: [
                {
                  event: 'postinstall',
                  chromeOsVersion: '',
                  sha256: 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=',
                  needsAdmin: false,
                  isDelta: false,
                  disablePayloadBackoff: true,
                },
              ],
            },
          },
        },
      ],
    });
  });

  it('event ack, noupdate, error status', () => {
    expect(parseResponse(recordedResponses.eventAck).apps[0]?.events).toEqual([{ status: 'ok' }]);
    expect(parseResponse(recordedResponses.noUpdate).apps[0]?.updateCheck).toEqual({ status: 'noupdate' });
    expect(parseResponse(recordedResponses.errorVersion).apps[0]?.updateCheck).toEqual({ status: 'error-version' });
  });

  it('reads missing attributes leniently', () => {
    const reply = parseResponse('<response><app><updatecheck><manifest><packages><package/></packages></manifest></updatecheck></app></response>');
    expect(reply).toEqual({
      protocol: '',
      server: '',
      apps: [
        {
          appId: '',
          events: [],
          updateCheck: { status: '', manifest: { version: '', packages: [{ name: '' }], actions: [] } },
        },
      ],
    });
  });

  it("accepts Go's boolean spellings", () => {
    const xml = (value: string) =>
      `<response><app appid="a"><updatecheck status="ok"><manifest version="1"><packages><package name="p" required="${value}"/></packages></manifest></updatecheck></app></response>`;
    const required = (value: string) =>
      parseResponse(xml(value)).apps[0]?.updateCheck?.manifest?.packages[0]?.required;
    expect(['1', 't', 'T', 'true', 'TRUE', 'True'].map(required)).toEqual(Array(6).fill(true));
    expect(['0', 'f', 'F', 'false', 'FALSE', 'False'].map(required)).toEqual(Array(6).fill(false));
  });
});
