// Saved connection profiles: a server, user and key under a name, kept with
// conf in `profiles.json` under the user's config folder (mode 0600, since it
// holds keys). Loading conf and its schema validator takes longer than the
// rest of a short command, so it is imported only when a profile is in use:
// a command run without one costs a stat of the file, or one small read.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type Conf from 'conf';

export interface SavedProfile {
  server: string;
  user: string;
  key: string;
  /** Saved when `--skip-ssl-verify` was given. */
  skipSslVerify?: boolean;
}

/** The profile a command runs with, and why it was chosen. */
export interface ActiveProfile {
  name: string;
  profile: SavedProfile;
  source: ProfileSource;
}

export type ProfileSource = '--profile' | 'UPDATECTL_PROFILE' | 'default';

interface ProfileFileShape {
  default?: string;
  profiles?: Record<string, SavedProfile>;
}

/** A profile file that cannot be used, or a profile that does not exist: one line, exit 1. */
export class ProfileError extends Error {}

export const PROFILE_VARIABLE = 'UPDATECTL_PROFILE';
const FOLDER = 'updateservicectl';
const CONFIG_NAME = 'profiles';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** `$XDG_CONFIG_HOME/updateservicectl`, else the platform's config folder. */
export function profileDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, FOLDER);
  const home = env['HOME'] || homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', FOLDER);
  if (platform === 'win32') return path.join(env['APPDATA'] || path.join(home, 'AppData', 'Roaming'), FOLDER);
  return path.join(home, '.config', FOLDER);
}

export function profileFile(env: NodeJS.ProcessEnv): string {
  return path.join(profileDir(env), `${CONFIG_NAME}.json`);
}

/** Names are used as file keys and typed on command lines: letters, digits, `_ . -`, at most 64. */
export function checkProfileName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new ProfileError(`invalid profile name "${name}": use letters, digits, "_", "." and "-" (at most 64, starting with a letter or digit)`);
  }
}

const SCHEMA = {
  default: { type: 'string' },
  profiles: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: {
        server: { type: 'string' },
        user: { type: 'string' },
        key: { type: 'string' },
        skipSslVerify: { type: 'boolean' },
      },
      required: ['server', 'user', 'key'],
    },
  },
} as const;

/** Words a failure to read or write the file so that it names the file and what to do (never its content: it holds keys). */
function fileError(file: string, err: unknown): ProfileError {
  const e = err as NodeJS.ErrnoException;
  const message = e.message ?? String(err);
  if (err instanceof SyntaxError) return new ProfileError(`profile file ${file} is not valid JSON: fix it or remove it`);
  if (e.code === 'EACCES' || e.code === 'EPERM') return new ProfileError(`cannot access profile file ${file}: permission denied`);
  if (e.code === 'EISDIR') return new ProfileError(`cannot read profile file ${file}: it is a folder`);
  if (e.code === 'ENOTDIR' || e.code === 'EEXIST') return new ProfileError(`cannot use profile folder ${path.dirname(file)}: a file is in the way`);
  if (message.startsWith('Config schema violation: ')) {
    return new ProfileError(`profile file ${file} is not a valid profile file (${message.slice(25)}): fix it or remove it`);
  }
  return new ProfileError(`profile file ${file}: ${message}`);
}

export class ProfileStore {
  private constructor(
    readonly file: string,
    /** Absent while there is no file and nothing is written: reading then creates nothing. */
    private readonly conf: Conf<ProfileFileShape> | undefined,
  ) {}

  /** Opens (and validates) the file; `forWriting` creates its folder, private to the user. */
  static async open(env: NodeJS.ProcessEnv, { forWriting = false } = {}): Promise<ProfileStore> {
    const dir = profileDir(env);
    const file = path.join(dir, `${CONFIG_NAME}.json`);
    if (!forWriting && !existsSync(file)) return new ProfileStore(file, undefined);
    const { default: ConfClass } = await import('conf');
    try {
      if (forWriting) mkdirSync(dir, { recursive: true, mode: 0o700 });
      const conf = new ConfClass<ProfileFileShape>({
        cwd: dir,
        configName: CONFIG_NAME,
        configFileMode: 0o600,
        accessPropertiesByDotNotation: false,
        schema: SCHEMA as never,
      });
      const store = new ProfileStore(file, conf);
      store.read(); // a damaged file fails here, not halfway through a command
      return store;
    } catch (err) {
      throw fileError(file, err);
    }
  }

  private read(): ProfileFileShape {
    try {
      return this.conf?.store ?? {};
    } catch (err) {
      throw fileError(this.file, err);
    }
  }

  private write(change: ProfileFileShape): void {
    if (!this.conf) throw new Error('the profile store was opened for reading only');
    try {
      this.conf.set(change as Partial<ProfileFileShape>);
    } catch (err) {
      throw fileError(this.file, err);
    }
  }

  /** Profiles by name, sorted. */
  list(): [string, SavedProfile][] {
    return Object.entries(this.read().profiles ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get(name: string): SavedProfile | undefined {
    const profiles = this.read().profiles ?? {};
    return Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  }

  get defaultName(): string | undefined {
    return this.read().default || undefined;
  }

  save(name: string, profile: SavedProfile): void {
    checkProfileName(name);
    this.write({ profiles: { ...this.read().profiles, [name]: profile } });
  }

  setDefault(name: string): void {
    this.require(name, 'profile use');
    this.write({ default: name });
  }

  /** Removes a profile; the default is cleared when it was this one. */
  remove(name: string): void {
    this.require(name, 'profile delete');
    const wasDefault = this.defaultName === name;
    const { [name]: _removed, ...rest } = this.read().profiles ?? {};
    this.write({ profiles: rest });
    if (wasDefault) {
      try {
        this.conf?.delete('default');
      } catch (err) {
        throw fileError(this.file, err);
      }
    }
  }

  require(name: string, asked: string): SavedProfile {
    const profile = this.get(name);
    if (!profile) throw new ProfileError(unknownProfile(name, asked, this.list().map(([n]) => n)));
    return profile;
  }
}

function unknownProfile(name: string, source: string, saved: string[]): string {
  const known = saved.length > 0 ? `saved profiles: ${saved.join(', ')}` : 'no profiles are saved (see "profile save")';
  return `no profile named "${name}" (from ${source}); ${known}`;
}

/**
 * True when the file may name a default profile. Without a selected profile
 * this is all a command reads: conf loads only when there is one, or when the
 * file is damaged and needs its error.
 */
function mayHaveDefault(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof data !== 'object' || data === null) return true;
    const value = (data as ProfileFileShape).default;
    return value !== undefined && value !== '';
  } catch {
    return true;
  }
}

/**
 * The profile a command runs with: `--profile` (when given, even empty), else
 * `UPDATECTL_PROFILE` (when set, even empty), else the default chosen with
 * `profile use`. An empty name means none. A name that is not saved is an error.
 */
export async function activeProfile(flag: string | undefined, env: NodeJS.ProcessEnv): Promise<ActiveProfile | undefined> {
  let name: string | undefined;
  let source: ProfileSource = 'default';
  if (flag !== undefined) [name, source] = [flag, '--profile'];
  else if (env[PROFILE_VARIABLE] !== undefined) [name, source] = [env[PROFILE_VARIABLE], PROFILE_VARIABLE];
  if (name === '') return undefined;
  if (name === undefined && !mayHaveDefault(profileFile(env))) return undefined;
  const store = await ProfileStore.open(env);
  name ??= store.defaultName;
  if (name === undefined) return undefined;
  return { name, profile: store.require(name, source), source };
}

/** Commands that never connect to a service: they run without resolving a profile. */
const NO_CONNECTION = new Set(['help', 'h', 'serve', 'completion', '__complete']);

/** The active profile for `command`, or nothing for the commands that do not connect. */
export function profileForCommand(command: string, flag: string | undefined, env: NodeJS.ProcessEnv): Promise<ActiveProfile | undefined> {
  return NO_CONNECTION.has(command) ? Promise.resolve(undefined) : activeProfile(flag, env);
}

/** How `profile show` prints a key: its length and last four characters, never the rest. */
export function maskKey(key: string): string {
  if (key === '') return '(none)';
  // a short key would be mostly given away by its tail
  if (key.length < 16) return `${'*'.repeat(8)} (${key.length} characters, none shown)`;
  return `${'*'.repeat(8)}${key.slice(-4)} (${key.length} characters, only the last 4 shown)`;
}
