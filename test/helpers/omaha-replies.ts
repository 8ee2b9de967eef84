// Omaha replies in the recorded server's format, for the CLI's update clients.
import type { FakeOptions } from '../../src/cli/commands/instance-fake.js';

export const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
export const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const NOUPDATE = `${XML}<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="${APP_ID}" status="ok">
  <updatecheck status="noupdate"></updatecheck>
 </app>
</response>
`;
export const offer = (version: string) => `${XML}<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="${APP_ID}" status="ok">
  <updatecheck status="ok">
   <urls>
    <url codebase="https://example.com/packages/${version}/"></url>
   </urls>
   <manifest version="${version}">
    <packages>
     <package hash="m4eqJIl18nb4SPWQVCdVCLTwAxE=" name="update.gz" size="1024" required="false"></package>
    </packages>
    <actions>
     <action event="postinstall" sha256="YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=" needsadmin="false" IsDelta="false" DisablePayloadBackoff="true"></action>
    </actions>
   </manifest>
  </updatecheck>
 </app>
</response>
`;
export const EVENT_OK = `${XML}<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="${APP_ID}" status="ok">
  <event status="ok"></event>
 </app>
</response>
`;

/** `instance fake`'s options for tests: one quiet instance of group fake1 at 1.0.0 that never fails a step. */
export const FAKE_DEFAULTS: FakeOptions = {
  appId: APP_ID,
  groupId: 'fake1',
  clientsPerApp: 1,
  minSleep: 1,
  maxSleep: 1,
  errorRate: -1,
  oem: 'fakeclient',
  pingOnly: 0,
  version: '1.0.0',
  forceUpdate: false,
  verbose: false,
};
