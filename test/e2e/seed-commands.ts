// THE LIST of the seed commands (issue #5, item 2): every `updateservicectl …`
// and `updatectl …` command line of the seed documents in ../shared/seeds,
// in the order the seeds give them, with the seed file and line each comes
// from, what the test runs for it and what it must print. The steps the test
// adds of its own (a user to sign with, the corrected form of a broken line,
// a listing that checks what a command did) sit among them, marked `test`.
// seed-commands.test.ts runs them; scripts/check-seed-commands.py (run by
// .ci/run) fails when a command line of the seeds is not here as the `text` of
// a `seed` or `prose` step. docs/seeds.md explains every place where a seed is
// wrong and what our tool does there.
//
// How a step is run: through bash, in a scratch folder of its seed, with both
// command names on PATH (our bin/), against a fresh `serve` per seed.
// - `alias`: the alias seed 000 (line 24) tells the reader to define, with our
//   server and a user that exists: `alias updateservicectl="…/updateservicectl
//   -user user@example.com -key <its key> -server <server>"`.
// - `env`: UPDATECTL_SERVER, UPDATECTL_USER=admin, UPDATECTL_KEY (seed 000,
//   line 28); the 0.x and 2.x `updatectl` seeds (002, 003) authenticate so.
// - `plain`: nothing set; the command carries its own global flags.
// In `run`, {server} is the service's URL, {key} the key of user@example.com
// and {adminKey} the admin's; `<app-id>`-style placeholders are filled in.
//
// Expected output is exact; on stderr the `YYYY/MM/DD HH:MM:SS ` stamp of a
// log line reads `TS `. A RegExp must match the whole text.

export const APP_ID = 'e96281a6-d1af-4bde-9a0a-97b76e56dc57';
export const ADMIN_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const SEED_FILES = {
  '000': '000_a164de4a38ad8a0f.txt',
  '001': '001_2ee748180c5b6a9f.txt',
  '002': '002_587a2636fde9c8f8.txt',
  '003': '003_c2fdc532609997c9.txt',
} as const;
export type SeedId = keyof typeof SEED_FILES;
export type Via = 'alias' | 'env' | 'plain';

/** What a command must do: exit status, stdout, stderr (stamps masked). */
export interface Result {
  code: number;
  stdout?: string | RegExp;
  stderr?: string | RegExp;
}

interface Common {
  seed: SeedId;
  /** What the seed says the command does, or why the step is there. */
  why: string;
}

/** A command line of a seed, run (in the foreground) and checked. */
export interface SeedRun extends Common {
  from: 'seed';
  /** Line of the seed file where the command starts. */
  line: number;
  /** As the seed writes it: prompt removed, continuation lines joined, blanks collapsed. */
  text: string;
  /** What bash runs, when it differs from `text`. */
  run?: string;
  via: Via;
  expect: Result;
  /** Capture stdout (trimmed) under this name, for {name} in later steps. */
  capture?: 'key';
}

/** `instance fake` of a seed: started in the background ("in another terminal"), left running. */
export interface SeedFake extends Common {
  from: 'seed';
  line: number;
  text: string;
  via: Via;
  fake: { clients: number; version: string };
}

/** A line that starts with a command name but is prose: not run. */
export interface Prose extends Common {
  from: 'prose';
  line: number;
  text: string;
}

/** A command of the test's own. */
export interface OwnRun extends Common {
  from: 'test';
  cmd: string;
  via: Via;
  expect: Result;
  capture?: 'key';
  /** Retry (for up to 10 s) until the output matches: for what the service records in batches. */
  eventually?: boolean;
}

/** Wait on the running fake clients: `updated from A to B` lines, as many as the rate limit lets through. */
export interface FakeUpdates extends Common {
  from: 'test';
  updates: { from: string; to: string; count: number };
}

/** Ctrl-C in the fake clients' terminal: they stop, exit 0. */
export interface FakeStop extends Common {
  from: 'test';
  stopFake: true;
}

export type Step = SeedRun | SeedFake | Prose | OwnRun | FakeUpdates | FakeStop;

// ---- expected output ------------------------------------------------------

const T = '\t';
const row = (...cells: (string | number | boolean)[]) => cells.join(T) + '\n';

const APPS_EMPTY = 'Id\tLabel\tDescription\n';
const APPS_FAKEAPP = `Id\t\t\t\t\tLabel\tDescription\n${APP_ID}\tFakeApp\tFake app for testing\n`;
const CHANNEL = (version: string) => `Label\tVersion\tPublish\tUpstream\nmaster\t${version}\tfalse\t\n`;
const GROUP_FAKE1 =
  'Label\t\tApp\t\t\t\t\tChannel\tId\tUpdates Paused\tPercent\tRollout Active\n' +
  `Fake Clients\t${APP_ID}\tmaster\tfake1\tfalse\t\t100\tfalse\n`;
/** The 1.4.0 table of `group update --update-count/--update-interval`: its row is the seed's line. */
const GROUP_RATE_LIMITED = 'Label\tApp\tChannel\tId\tPaused\tCount\tInterval\n\n' + row('Fake Clients', APP_ID, 'master', 'fake1', false, 2, 60);
const PACKAGE_URL = 'https://fakepackage.local/update-1.1.0.gz';
/** The empty file `touch` makes: its size and digests. */
const PACKAGE_EMPTY_JSON = `{
 "sha1Sum": "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
 "sha256Sum": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
 "size": "0",
 "url": "${PACKAGE_URL}"
}
`;
const PACKAGE_1_1_0 = PACKAGE_EMPTY_JSON + `Version\tURL\t\t\t\t\t\tSize\n1.1.0\t${PACKAGE_URL}\t0\n`;
const APP_NOT_FOUND = 'TS googleapi: Error 404: app not found, notFound\n';
const GROUP_CREATE_USAGE = `NAME:
\tgroup create - Create a group.

USAGE:
\tupdateservicectl group create [OPTION]...

DESCRIPTION:
\tCreate a group.


OPTIONS:
\t--app-id=\tApplication the new group belongs to.
\t--channel=\tChannel the group follows.
\t--group-id=\tID of the new group.
\t--label=\tHuman-readable name of the group.
For help on global options run "updateservicectl --help"
`;
const PACKAGE_EMPTY_JSON_NO_URL = PACKAGE_EMPTY_JSON.replace(`,\n "url": "${PACKAGE_URL}"`, '');
const APPS_EXAMPLE = `Id\t\t\t\t\tLabel\t\tDescription\n${APP_ID}\tExample App\tSample application to test container updates\n`;
/** What 0.x new-package prints: the package as sent, then `<app id> <version>`. */
const NEW_PACKAGE = (version: string) => `{
 "metadataSignatureRsa": "ixi6Oebo",
 "metadataSize": "190",
 "sha1Sum": "/nN0vd3i3fB/a/zHKNEV0UM4lks=",
 "sha256Sum": "tgLWMPCggYQNDKj8TTWBDkKAZkKzEnu3AtZcPfIn0PU=",
 "size": "23",
 "url": "coreos/example-apache:${version}"
}
${APP_ID} ${version}
`;
const IMAGE_PACKAGE = (version: string) => `{\n "url": "coreos/example:${version}"\n}\nVersion\tURL\t\t\tSize\n${version}\tcoreos/example:${version}\t0\n`;
const IMAGE_NOTE = (version: string) => `TS --file coreos/example:${version} is not a local file: using it as the package URL (no size or checksums)\n`;
const KEY_LINE = /^[0-9a-f]{32}\n$/;
const VERSIONS_AFTER_ROLLOUT = `AppID\t\t\t\t\tGroupID\tVersion\tClients\n${APP_ID}\tfake1\t1.1.0\t2\n${APP_ID}\tfake1\t1.0.0\t8\n`;

// ---- the steps ---------------------------------------------------------------
// Seed 001 is the same guide as seed 000, rendered as plain text: the same
// commands, but the user and the server are cut out of the first one, and the
// `--url` line out of `package create`.

const SEED_USER = 'updateservicectl -server {server} -user admin -key {adminKey} admin-user create user@example.com';
const GROUP_CREATE_JOINED = 'updateservicectl group create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --group-id=fake1 --label="Fake Clients"';
const PACKAGE_CREATE_000 = 'updateservicectl package create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --version=1.1.0 --file=update-1.1.0.gz --url=https://fakepackage.local/update-1.1.0.gz';
const UNKNOWN_D3B: Result = {
  code: 3,
  stdout: 'updateservicectl: unknown subcommand: "d3b07384d113edec49eaa6238ad5ff00"\nRun \'updateservicectl --help\' for usage.\n',
};
const FAKE = { clients: 10, version: '1.0.0' };
const WHY = {
  user: "the seed's user, user@example.com, created by the admin so that the seed's commands can be signed as it; its key is printed once",
  appListEmpty: 'lists the applications: none yet on a fresh service',
  groupListEarly: 'a reference line, read in order before the app is created: 404 app not found, exit 1 (run again after the walkthrough)',
  channelListEarly: 'as group list: 404 until the app exists',
  appCreate: 'creates FakeApp with the given id',
  appList: "FakeApp is listed (the seed's second row, CoreOS, is an app of CoreOS's hosted service, not of a fresh one)",
  channelCreate: 'creates the master channel on 1.0.0 (no package 1.0.0 is needed: the fake clients already run it)',
  groupCreateBroken:
    'SEED ERROR: the line lacks its trailing backslash, so the command ends here, without --channel and --group-id: the usage of group create on stdout, exit 2, nothing created (the shell then runs `--channel=master …` as a command of its own: command not found)',
  groupCreateJoined: 'the group create the seed means, its two lines joined: creates fake1 on master',
  touch: '"a fake update.gz": an empty file',
  packageCreate:
    'publishes update-1.1.0.gz as 1.1.0 with the fake URL; `touch` made it empty, so size 0 and the digests of the empty file (fine for fake clients, which download nothing)',
  fake: 'in another terminal: 10 fake clients on 1.0.0, each printing `<id>: noupdate` (the seed shows `{fake-client-000}`; ours print deadbeef… machine ids, as the 2.1.0 tool did)',
  groupUpdate: "rate-limits fake1 to 2 updates per 60 s and prints the 1.4.0 table, whose row is the seed's line",
  channelUpdate: 'promotes 1.1.0 on master',
  updates: "the fake clients' terminal shows `<id>: updated from 1.0.0 to 1.1.0` for 2 clients (the rate limit) while the others keep printing noupdate",
  stop: 'Ctrl-C in that terminal: the fake clients stop, exit 0',
  versions: 'the service counts 2 instances on 1.1.0 and 8 still on 1.0.0',
  groupListLate: "the anatomy section's `group list`, now that the app exists",
  channelListLate: "the anatomy section's `channel list`, now that the app exists: master on 1.1.0",
};

export const STEPS: Step[] = [
  // ---- seed 000: "Getting started with the update service" (markdown) ----
  { seed: '000', from: 'test', cmd: SEED_USER, via: 'plain', expect: { code: 0, stdout: KEY_LINE }, capture: 'key', why: WHY.user },
  {
    seed: '000',
    from: 'seed',
    line: 18,
    text: 'updateservicectl -user user@example.com -key d3b07384d113edec49eaa6238ad5ff00 -server https://example.update.core-os.net <command>',
    run: 'updateservicectl -user user@example.com -key {key} -server {server} app list',
    via: 'plain',
    expect: { code: 0, stdout: APPS_EMPTY },
    why: "the global flags before the command; with our server, that user's key and `app list` as <command>",
  },
  {
    seed: '000',
    from: 'test',
    cmd: 'updateservicectl app list',
    via: 'env',
    expect: { code: 0, stdout: APPS_EMPTY },
    why: 'line 28: the same through UPDATECTL_USER, UPDATECTL_KEY and UPDATECTL_SERVER',
  },
  { seed: '000', from: 'seed', line: 40, text: 'updateservicectl app list', via: 'alias', expect: { code: 0, stdout: APPS_EMPTY }, why: WHY.appListEmpty },
  {
    seed: '000',
    from: 'seed',
    line: 52,
    text: 'updateservicectl group list --app-id=<app-id>',
    run: 'updateservicectl group list --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57',
    via: 'alias',
    expect: { code: 1, stderr: APP_NOT_FOUND },
    why: WHY.groupListEarly,
  },
  {
    seed: '000',
    from: 'seed',
    line: 60,
    text: 'updateservicectl channel list --app-id=<appid>',
    run: 'updateservicectl channel list --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57',
    via: 'alias',
    expect: { code: 1, stderr: APP_NOT_FOUND },
    why: WHY.channelListEarly,
  },
  {
    seed: '000',
    from: 'seed',
    line: 101,
    text: 'updateservicectl app create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --label="FakeApp" --description="Fake app for testing"',
    via: 'alias',
    expect: { code: 0, stdout: APPS_FAKEAPP },
    why: WHY.appCreate,
  },
  { seed: '000', from: 'seed', line: 108, text: 'updateservicectl app list', via: 'alias', expect: { code: 0, stdout: APPS_FAKEAPP }, why: WHY.appList },
  {
    seed: '000',
    from: 'seed',
    line: 117,
    text: 'updateservicectl channel create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --version=1.0.0',
    via: 'alias',
    expect: { code: 0, stdout: CHANNEL('1.0.0') },
    why: WHY.channelCreate,
  },
  {
    seed: '000',
    from: 'seed',
    line: 125,
    text: 'updateservicectl group create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57',
    via: 'alias',
    expect: { code: 2, stdout: GROUP_CREATE_USAGE },
    why: WHY.groupCreateBroken,
  },
  { seed: '000', from: 'test', cmd: GROUP_CREATE_JOINED, via: 'alias', expect: { code: 0, stdout: GROUP_FAKE1 }, why: WHY.groupCreateJoined },
  { seed: '000', from: 'test', cmd: 'touch update-1.1.0.gz', via: 'plain', expect: { code: 0 }, why: `line 136: ${WHY.touch}` },
  {
    seed: '000',
    from: 'seed',
    line: 142,
    text: 'updateservicectl package create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --version=1.1.0 --file=update-1.1.0.gz --url=https://fakepackage.local/update-1.1.0.gz',
    via: 'alias',
    expect: { code: 0, stdout: PACKAGE_1_1_0 },
    why: WHY.packageCreate,
  },
  {
    seed: '000',
    from: 'seed',
    line: 155,
    text: 'updateservicectl instance fake --clients-per-app=10 --min-sleep=30 --max-sleep=60 --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --group-id=fake1 --version=1.0.0',
    via: 'alias',
    fake: FAKE,
    why: WHY.fake,
  },
  {
    seed: '000',
    from: 'seed',
    line: 169,
    text: 'updateservicectl group update --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --group-id=fake1 --channel=master --update-count=2 --update-interval=60',
    via: 'alias',
    expect: { code: 0, stdout: GROUP_RATE_LIMITED },
    why: WHY.groupUpdate,
  },
  {
    seed: '000',
    from: 'seed',
    line: 177,
    text: 'updateservicectl channel update --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --version=1.1.0',
    via: 'alias',
    expect: { code: 0, stdout: CHANNEL('1.1.0') },
    why: WHY.channelUpdate,
  },
  { seed: '000', from: 'test', updates: { from: '1.0.0', to: '1.1.0', count: 2 }, why: WHY.updates },
  { seed: '000', from: 'test', stopFake: true, why: WHY.stop },
  { seed: '000', from: 'test', cmd: `updateservicectl instance list-app-versions --app-id=${APP_ID}`, via: 'alias', expect: { code: 0, stdout: VERSIONS_AFTER_ROLLOUT }, eventually: true, why: WHY.versions },
  { seed: '000', from: 'test', cmd: `updateservicectl group list --app-id=${APP_ID}`, via: 'alias', expect: { code: 0, stdout: GROUP_FAKE1 }, why: WHY.groupListLate },
  { seed: '000', from: 'test', cmd: `updateservicectl channel list --app-id=${APP_ID}`, via: 'alias', expect: { code: 0, stdout: CHANNEL('1.1.0') }, why: WHY.channelListLate },

  // ---- seed 001: the same guide as plain text ----
  { seed: '001', from: 'test', cmd: SEED_USER, via: 'plain', expect: { code: 0, stdout: KEY_LINE }, capture: 'key', why: WHY.user },
  {
    seed: '001',
    from: 'seed',
    line: 19,
    text: 'updateservicectl -user -key d3b07384d113edec49eaa6238ad5ff00 -server <command>',
    run: 'updateservicectl -user -key d3b07384d113edec49eaa6238ad5ff00 -server app list',
    via: 'plain',
    expect: UNKNOWN_D3B,
    why: 'SEED ERROR: the rendering lost the user name and the server: -user takes `-key` as its value, so the key is read as the command name: unknown subcommand on stdout, exit 3; nothing is sent',
  },
  {
    seed: '001',
    from: 'test',
    cmd: 'shopt -s expand_aliases\nalias updateservicectl="updateservicectl -user -key d3b07384d113edec49eaa6238ad5ff00 -server"\nupdateservicectl app list',
    via: 'plain',
    expect: UNKNOWN_D3B,
    why: "SEED ERROR: the seed's alias (line 24) has the same holes, so every command run through it fails the same way; the steps below use seed 000's alias",
  },
  { seed: '001', from: 'seed', line: 36, text: 'updateservicectl app list', via: 'alias', expect: { code: 0, stdout: APPS_EMPTY }, why: WHY.appListEmpty },
  {
    seed: '001',
    from: 'seed',
    line: 43,
    text: 'updateservicectl group list --app-id=<app-id>',
    run: 'updateservicectl group list --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57',
    via: 'alias',
    expect: { code: 1, stderr: APP_NOT_FOUND },
    why: WHY.groupListEarly,
  },
  {
    seed: '001',
    from: 'seed',
    line: 48,
    text: 'updateservicectl channel list --app-id=<appid>',
    run: 'updateservicectl channel list --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57',
    via: 'alias',
    expect: { code: 1, stderr: APP_NOT_FOUND },
    why: WHY.channelListEarly,
  },
  {
    seed: '001',
    from: 'seed',
    line: 84,
    text: 'updateservicectl app create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --label="FakeApp" --description="Fake app for testing"',
    via: 'alias',
    expect: { code: 0, stdout: APPS_FAKEAPP },
    why: WHY.appCreate,
  },
  { seed: '001', from: 'seed', line: 89, text: 'updateservicectl app list', via: 'alias', expect: { code: 0, stdout: APPS_FAKEAPP }, why: WHY.appList },
  {
    seed: '001',
    from: 'seed',
    line: 96,
    text: 'updateservicectl channel create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --version=1.0.0',
    via: 'alias',
    expect: { code: 0, stdout: CHANNEL('1.0.0') },
    why: WHY.channelCreate,
  },
  {
    seed: '001',
    from: 'seed',
    line: 101,
    text: 'updateservicectl group create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57',
    via: 'alias',
    expect: { code: 2, stdout: GROUP_CREATE_USAGE },
    why: WHY.groupCreateBroken,
  },
  { seed: '001', from: 'test', cmd: GROUP_CREATE_JOINED, via: 'alias', expect: { code: 0, stdout: GROUP_FAKE1 }, why: WHY.groupCreateJoined },
  { seed: '001', from: 'test', cmd: 'touch update-1.1.0.gz', via: 'plain', expect: { code: 0 }, why: `line 110: ${WHY.touch}` },
  {
    seed: '001',
    from: 'seed',
    line: 114,
    text: 'updateservicectl package create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --version=1.1.0 --file=update-1.1.0.gz',
    via: 'alias',
    expect: { code: 1, stdout: PACKAGE_EMPTY_JSON_NO_URL, stderr: 'TS googleapi: Error 400: url is required, required\n' },
    why: 'SEED ERROR: the rendering lost the `--url=…` line (the command ends in a backslash and a blank line): the package is shown, then refused for want of a URL, exit 1; nothing is created',
  },
  { seed: '001', from: 'test', cmd: PACKAGE_CREATE_000, via: 'alias', expect: { code: 0, stdout: PACKAGE_1_1_0 }, why: "seed 000's package create, with its --url" },
  {
    seed: '001',
    from: 'prose',
    line: 120,
    text: 'updateservicectl contains a tool to help you simulate many fake clients running your application. We\'re going to start 10 fake clients that are checking for updates every 30-60 seconds. This is much much faster than usual but it will allow us to see our changes take place quickly.',
    why: 'prose that starts with the command name (seed 000 quotes it: `updateservicectl` contains a tool…): not a command',
  },
  {
    seed: '001',
    from: 'seed',
    line: 124,
    text: 'updateservicectl instance fake --clients-per-app=10 --min-sleep=30 --max-sleep=60 --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --group-id=fake1 --version=1.0.0',
    via: 'alias',
    fake: FAKE,
    why: WHY.fake,
  },
  {
    seed: '001',
    from: 'seed',
    line: 135,
    text: 'updateservicectl group update --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --group-id=fake1 --channel=master --update-count=2 --update-interval=60',
    via: 'alias',
    expect: { code: 0, stdout: GROUP_RATE_LIMITED },
    why: WHY.groupUpdate,
  },
  {
    seed: '001',
    from: 'seed',
    line: 141,
    text: 'updateservicectl channel update --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --version=1.1.0',
    via: 'alias',
    expect: { code: 0, stdout: CHANNEL('1.1.0') },
    why: WHY.channelUpdate,
  },
  { seed: '001', from: 'test', updates: { from: '1.0.0', to: '1.1.0', count: 2 }, why: WHY.updates },
  { seed: '001', from: 'test', stopFake: true, why: WHY.stop },
  { seed: '001', from: 'test', cmd: `updateservicectl instance list-app-versions --app-id=${APP_ID}`, via: 'alias', expect: { code: 0, stdout: VERSIONS_AFTER_ROLLOUT }, eventually: true, why: WHY.versions },
  { seed: '001', from: 'test', cmd: `updateservicectl group list --app-id=${APP_ID}`, via: 'alias', expect: { code: 0, stdout: GROUP_FAKE1 }, why: WHY.groupListLate },
  { seed: '001', from: 'test', cmd: `updateservicectl channel list --app-id=${APP_ID}`, via: 'alias', expect: { code: 0, stdout: CHANNEL('1.1.0') }, why: WHY.channelListLate },

  // ---- seed 002: "Example Update Workflow with Containers", 0.x verbs ----
  {
    seed: '002',
    from: 'seed',
    line: 14,
    text: 'updatectl update-app e96281a6-d1af-4bde-9a0a-97b76e56dc57 "Example Apache" "Sample application to test container updates"',
    via: 'env',
    expect: { code: 0, stdout: `${APP_ID}\tExample Apache\tSample application to test container updates\n` },
    why: 'creates the application (update-app creates a missing one)',
  },
  {
    seed: '002',
    from: 'seed',
    line: 15,
    text: 'updatectl new-group e96281a6-d1af-4bde-9a0a-97b76e56dc57 master 13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3 "Example Group"',
    via: 'env',
    expect: { code: 0, stdout: `Example Group\t${APP_ID}\tmaster\t13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3\tfalse\t0\t0\n` },
    why: 'creates the group, on the master channel',
  },
  {
    seed: '002',
    from: 'seed',
    line: 16,
    text: 'updatectl new-package e96281a6-d1af-4bde-9a0a-97b76e56dc57 1.0 --name foobar --path coreos/example-apache:1.0 --size 23 --sha1sum fe7374bddde2ddf07f6bfcc728d115d14338964b --sha256sum b602d630f0a081840d0ca8fc4d35810e42806642b3127bb702d65c3df227d0f5 --signature ixi6Oebo --metadata-size 190',
    via: 'env',
    expect: { code: 0, stdout: NEW_PACKAGE('1.0') },
    why: 'creates package 1.0, pointing at the 1.0 image, with the given size, digests and signature',
  },
  {
    seed: '002',
    from: 'seed',
    line: 24,
    text: 'updatectl update-channel e96281a6-d1af-4bde-9a0a-97b76e56dc57 master 1.0',
    via: 'env',
    expect: { code: 0, stdout: '1.0\n' },
    why: 'points the master channel (creating it) at 1.0',
  },
  {
    seed: '002',
    from: 'test',
    cmd: `updatectl list-apps && updatectl list-groups ${APP_ID} && updatectl list-channels ${APP_ID} && updatectl list-packages ${APP_ID}`,
    via: 'env',
    expect: {
      code: 0,
      stdout:
        'Id\t\t\t\t\tLabel\t\tDescription\n' +
        `${APP_ID}\tExample Apache\tSample application to test container updates\n` +
        'Label\t\tApp\t\t\t\t\tChannel\tId\t\t\t\t\tUpdatesPaused\n' +
        `Example Group\t${APP_ID}\tmaster\t13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3\tfalse\t0\t0\n` +
        'Label\tVersion\nmaster\t1.0\n' +
        'Version\t\t\t\t\tURL\tSize\n1.0\tcoreos/example-apache:1.0\t23\n',
    },
    why: '"you should see everything that you just created": the app, the group, master on 1.0, package 1.0',
  },
  {
    seed: '002',
    from: 'seed',
    line: 159,
    text: 'updatectl new-package e96281a6-d1af-4bde-9a0a-97b76e56dc57 2.0 --name foobar --path coreos/example-apache:2.0 --size 23 --sha1sum fe7374bddde2ddf07f6bfcc728d115d14338964b --sha256sum b602d630f0a081840d0ca8fc4d35810e42806642b3127bb702d65c3df227d0f5 --signature ixi6Oebo --metadata-size 190',
    via: 'env',
    expect: { code: 0, stdout: NEW_PACKAGE('2.0') },
    why: 'creates package 2.0, pointing at the 2.0 image',
  },
  {
    seed: '002',
    from: 'test',
    cmd: `updatectl list-packages ${APP_ID} && updatectl list-channels ${APP_ID}`,
    via: 'env',
    expect: { code: 0, stdout: 'Version\t\t\t\t\tURL\tSize\n2.0\tcoreos/example-apache:2.0\t23\n1.0\tcoreos/example-apache:1.0\t23\nLabel\tVersion\nmaster\t1.0\n' },
    why: 'both packages are there; master stays on 1.0 until promoted (the seed does that in the UI; docs/examples/rolling-update/ runs the whole workflow)',
  },

  // ---- seed 003: the container workflow again, 2.x commands under `updatectl` ----
  {
    seed: '003',
    from: 'seed',
    line: 7,
    text: 'updatectl app update --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --label="Example App" --description="Sample application to test container updates"',
    via: 'env',
    expect: { code: 0, stdout: APPS_EXAMPLE },
    why: 'on a fresh service the app does not exist yet, and `app update` creates it (the service creates a missing app on update, as 0.x update-app relied on)',
  },
  {
    seed: '003',
    from: 'seed',
    line: 9,
    text: 'updatectl group create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --group-id=13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3 --label="Example Group"',
    via: 'env',
    expect: {
      code: 0,
      stdout:
        'Label\t\tApp\t\t\t\t\tChannel\tId\t\t\t\t\tUpdates Paused\tPercent\tRollout Active\n' +
        `Example Group\t${APP_ID}\tmaster\t13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3\tfalse\t\t100\tfalse\n`,
    },
    why: 'creates the group on master (the channel comes two commands later: a group may name it first)',
  },
  {
    seed: '003',
    from: 'seed',
    line: 12,
    text: 'updatectl package create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --version=1.0.0 --file=coreos/example:1.0.0',
    via: 'env',
    expect: { code: 0, stdout: IMAGE_PACKAGE('1.0.0'), stderr: IMAGE_NOTE('1.0.0') },
    why: 'an image reference as --file: no local file to hash, so it becomes the package URL, with a note on stderr',
  },
  {
    seed: '003',
    from: 'seed',
    line: 14,
    text: 'updatectl channel update --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --channel=master --version=1.0.0',
    via: 'env',
    expect: { code: 0, stdout: CHANNEL('1.0.0') },
    why: 'creates the master channel on 1.0.0 (`channel update` creates a missing channel)',
  },
  {
    seed: '003',
    from: 'seed',
    line: 50,
    text: 'updatectl package create --app-id=e96281a6-d1af-4bde-9a0a-97b76e56dc57 --version=2.0.0 --file=coreos/example:2.0.0',
    via: 'env',
    expect: { code: 0, stdout: IMAGE_PACKAGE('2.0.0'), stderr: IMAGE_NOTE('2.0.0') },
    why: 'creates package 2.0.0, pointing at the 2.0.0 image',
  },
  {
    seed: '003',
    from: 'test',
    cmd: `updatectl app list && updatectl group list --app-id=${APP_ID} && updatectl channel list --app-id=${APP_ID} && updatectl package list --app-id=${APP_ID}`,
    via: 'env',
    expect: {
      code: 0,
      stdout:
        APPS_EXAMPLE +
        'Label\t\tApp\t\t\t\t\tChannel\tId\t\t\t\t\tUpdates Paused\tPercent\tRollout Active\n' +
        `Example Group\t${APP_ID}\tmaster\t13DEFFFC-90C2-4B94-B3C2-1322BE8DC4E3\tfalse\t\t100\tfalse\n` +
        CHANNEL('1.0.0') +
        'Version\tURL\t\t\tSize\n2.0.0\tcoreos/example:2.0.0\t0\n1.0.0\tcoreos/example:1.0.0\t0\n',
    },
    why: '"you should see everything that you just created": the app, the group, master on 1.0.0, both packages',
  },
];
