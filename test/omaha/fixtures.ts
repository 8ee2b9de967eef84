// Bodies recorded from the original updateservicectl (v2.1, and v1.4 for
// fakeV14Check) talking to a go-omaha based stub server. Copied verbatim:
// the tests compare our builders with them byte for byte.

/** Requests, exactly as the original client sent them (no XML declaration, no trailing newline). */
export const recordedRequests = {
  /** instance fake: update check with the "updated and rebooted" event */
  fakeCheck: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.0.0" track="fake1" bootid="b3dc943a-4844-475a-9577-7648524ef8f1" machineid="deadbeefac951f5e8540c87dbd988de8" oem="fakeclient">
  <updatecheck></updatecheck>
  <event eventtype="3" eventresult="2"></event>
 </app>
</request>`,
  /** instance fake: download started */
  fakeDownloadStarted: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.0.0" track="fake1" bootid="b3dc943a-4844-475a-9577-7648524ef8f1" machineid="deadbeefac951f5e8540c87dbd988de8" oem="fakeclient">
  <event eventtype="13" eventresult="1"></event>
 </app>
</request>`,
  /** instance fake: installed, reboot pending */
  fakeInstalled: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.0.0" track="fake1" bootid="aa18680b-2802-4792-b723-b3789c291606" machineid="deadbeefac951f2eb7fa2af37f2a6755" oem="fakeclient">
  <event eventtype="3" eventresult="1"></event>
 </app>
</request>`,
  /** instance fake: running the new version */
  fakeCompleteNewVersion: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.1.0" track="fake1" bootid="aa18680b-2802-4792-b723-b3789c291606" machineid="deadbeefac951f2eb7fa2af37f2a6755" oem="fakeclient">
  <event eventtype="3" eventresult="2"></event>
 </app>
</request>`,
  /** instance fake --errorrate=100: error event with errorcode */
  fakeErrorEvent: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.0.0" track="fake1" bootid="ace26071-0140-480d-a0b2-4d851736e432" machineid="deadbeef485d6e8f829037e407415230" oem="fakeclient">
  <event eventtype="3" eventresult="0" errorcode="2000"></event>
 </app>
</request>`,
  /** instance fake --ping-only: ping */
  fakePing: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.0.0" track="fake1" bootid="686180b4-d7dc-4cd6-a135-25ec0542dff0" machineid="deadbeefcc7e10f4b3e34f22ff3a1cce" oem="fakeclient">
  <ping r="1" status="1"></ping>
 </app>
</request>`,
  /** v1.4 instance fake: machine id fake-<6 hex>-<uuid> */
  fakeV14Check: `<request protocol="3.0" installsource="scheduler">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" version="1.0.0" track="fake1" bootid="7845514f-beff-4412-b457-7f47dc42ca5e" machineid="fake-0056ec-edc836168b5248e0bc9b4df978bd3ed9" oem="fakeclient">
  <updatecheck></updatecheck>
  <event eventtype="3" eventresult="2"></event>
 </app>
</request>`,
  /** watch: appid in braces, no installsource, event 1/0 */
  watchCheck: `<request protocol="3.0">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="{e96281a6-d1af-4bde-9a0a-97b76e56dc57}" version="0.0.0" track="fake1" bootid="ee07eb6b-b534-4036-a9f0-3d0fd93cf8d5" machineid="b41a6546-6101-4e59-9cb0-1c639acc4582">
  <updatecheck></updatecheck>
  <event eventtype="1" eventresult="0"></event>
 </app>
</request>`,
  /** watch --client-id --version=1.0.0 */
  watchCheckClientId: `<request protocol="3.0">
 <os platform="CoreOS" version="lsb"></os>
 <app appid="{e96281a6-d1af-4bde-9a0a-97b76e56dc57}" version="1.0.0" track="fake1" bootid="b954e68d-1fdf-425c-8afe-297b25e978d2" machineid="11111111-2222-3333-4444-555555555555">
  <updatecheck></updatecheck>
  <event eventtype="1" eventresult="0"></event>
 </app>
</request>`,
} as const;

/** Replies of the go-omaha based stub the transcripts were recorded against. */
export const recordedResponses = {
  updateOk: `<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" status="ok">
  <updatecheck status="ok">
   <urls>
    <url codebase="https://example.com/packages/1.1.0/"></url>
   </urls>
   <manifest version="1.1.0">
    <packages>
     <package hash="m4eqJIl18nb4SPWQVCdVCLTwAxE=" name="update.gz" size="1024" required="false"></package>
    </packages>
    <actions>
     <action event="postinstall" ChromeOSVersion="" sha256="YzR37ht/AxsZL88ISu+i/038FDzf9a8gZHHFPmjrNi0=" needsadmin="false" IsDelta="false" DisablePayloadBackoff="true"></action>
    </actions>
   </manifest>
  </updatecheck>
 </app>
</response>
`,
  eventAck: `<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" status="ok">
  <event status="ok"></event>
 </app>
</response>
`,
  noUpdate: `<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" status="ok">
  <updatecheck status="noupdate"></updatecheck>
 </app>
</response>
`,
  errorVersion: `<?xml version="1.0" encoding="UTF-8"?>
<response protocol="3.0" server="update.core-os.net">
 <daystart elapsed_seconds="0"></daystart>
 <app appid="e96281a6-d1af-4bde-9a0a-97b76e56dc57" status="ok">
  <updatecheck status="error-version"></updatecheck>
 </app>
</response>
`,
} as const;

/** update_engine (Flatcar/CoreOS) update check, as documented in the protocol notes. */
export const updateEngineRequest = `<?xml version="1.0" encoding="UTF-8"?>
<request protocol="3.0" version="update_engine-0.4.10" updaterversion="update_engine-0.4.10" installsource="scheduler" ismachine="1">
    <os version="Chateau" platform="CoreOS" sp="3033.1.0_x86_64"></os>
    <app appid="{e96281a6-d1af-4bde-9a0a-97b76e56dc57}" version="3033.1.0" track="stable" bootid="{0d2e4bd5-3a5c-4a4b-8e1c-6c5b1e7f4c2a}" oem="qemu" oemversion="0.0.1" alephversion="3033.1.0" machineid="8b10fc6d30ca49b2b1a28185f03d522b" machinealias="" lang="en-US" board="amd64-usr" hardware_class="" delta_okay="false" >
        <ping active="1"></ping>
        <updatecheck></updatecheck>
        <event eventtype="3" eventresult="2" previousversion="0.0.0.0"></event>
    </app>
</request>
`;
