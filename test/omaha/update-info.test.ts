import { describe, expect, it } from 'vitest';
import { buildResponse, packageUrl, parseResponse, updateInfo } from '../../src/omaha/index.js';
import { recordedResponses } from './fixtures.js';

describe('updateInfo', () => {
  it('gives status, version and the URL the original watch exported as UPDATE_SERVICE_URL', () => {
    expect(updateInfo(parseResponse(recordedResponses.updateOk))).toEqual({
      appId: 'e96281a6-d1af-4bde-9a0a-97b76e56dc57',
      status: 'ok',
      version: '1.1.0',
      url: 'https://example.com/packages/1.1.0/update.gz',
      codebase: 'https://example.com/packages/1.1.0/',
      packageName: 'update.gz',
      size: 1024,
      hash: 'm4eqJIl18nb4SPWQVCdVCLTwAxE=',
      sha256: 'YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=',
    });
  });

  it('gives just the status when there is no update', () => {
    expect(updateInfo(parseResponse(recordedResponses.noUpdate))).toEqual({
      appId: 'e96281a6-d1af-4bde-9a0a-97b76e56dc57',
      status: 'noupdate',
    });
    expect(updateInfo(parseResponse(recordedResponses.errorVersion))?.status).toBe('error-version');
  });

  it('is undefined without an app or an updatecheck', () => {
    expect(updateInfo(parseResponse(recordedResponses.eventAck))).toBeUndefined();
    expect(updateInfo({ protocol: '3.0', server: 's', apps: [] })).toBeUndefined();
  });

  it('reads what buildResponse writes', () => {
    const xml = buildResponse({
      protocol: '3.0',
      server: 'updateservice',
      apps: [
        {
          appId: '{x}',
          status: 'ok',
          events: [],
          updateCheck: {
            status: 'ok',
            urls: ['https://packages.example.com/amd64-usr/3033.2.0/'],
            manifest: {
              version: '3033.2.0',
              packages: [{ name: 'update.gz', size: 5 }],
              actions: [{ event: 'postinstall', sha256: 'abc=' }],
            },
          },
        },
      ],
    });
    expect(updateInfo(parseResponse(xml))).toMatchObject({
      appId: '{x}',
      version: '3033.2.0',
      url: 'https://packages.example.com/amd64-usr/3033.2.0/update.gz',
      sha256: 'abc=',
    });
  });
});

describe('packageUrl joins like Go path.Join', () => {
  it.each([
    ['https://example.com/packages/1.1.0/', 'update.gz', 'https://example.com/packages/1.1.0/update.gz'],
    ['https://example.com/packages/1.1.0', 'update.gz', 'https://example.com/packages/1.1.0/update.gz'],
    ['https://example.com', 'update.gz', 'https://example.com/update.gz'],
    ['https://example.com/', 'update.gz', 'https://example.com/update.gz'],
    ['https://example.com//a//b/./', 'update.gz', 'https://example.com/a/b/update.gz'],
    ['https://example.com/a/?sig=1#frag', 'update.gz', 'https://example.com/a/update.gz?sig=1#frag'],
    ['http://HOST:8080/a/', 'my file.gz', 'http://HOST:8080/a/my%20file.gz'],
    ['https://example.com/a/', 'x?y#z', 'https://example.com/a/x%3Fy%23z'],
    ['packages/1.0/', 'update.gz', 'packages/1.0/update.gz'],
  ])('%s + %s', (codebase, name, expected) => {
    expect(packageUrl(codebase, name)).toBe(expected);
  });
});
