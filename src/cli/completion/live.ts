// Values a completion fetches from the service: application ids, group ids,
// channel names and package versions. The connection is the one the command
// being typed would use (its global flags, else the UPDATECTL_* variables,
// else the active profile). A look-up gets about a second in all; when it
// fails or runs out of time the shell is offered nothing, and says nothing.
import type { ApiClient } from '../../api/client.js';
import type { GlobalOptions } from '../command.js';
import { globalFlagSet, LEGACY_GLOBAL_FLAGS, legacyGlobalFlagSet, resolveGlobals, resolveLegacyGlobals } from '../globals.js';
import { parseFlagWords } from '../go-command.js';
import { AliasedFlags } from '../legacy/flags.js';
import { activeProfile, ProfileStore } from '../profiles.js';
import type { Candidate, CompletionSources } from './engine.js';

export type LiveKind = 'apps' | 'groups' | 'channels' | 'versions';

/** How long a look-up may take, from the first request to the last reply. */
export const LOOKUP_BUDGET_MS = 1000;
/** Without an --app-id typed, groups, channels and versions are gathered from this many apps at most. */
const MAX_APPS = 20;

export function liveSources(program: string, env: NodeJS.ProcessEnv, budgetMs = LOOKUP_BUDGET_MS): CompletionSources {
  return {
    async live(kind, { globalWords, appId }) {
      const deadline = Date.now() + budgetMs;
      let client: ApiClient | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        const options = await connection(program, globalWords, env);
        const { ApiClient } = await import('../../api/client.js');
        const remaining = Math.max(1, deadline - Date.now());
        client = new ApiClient({ server: options.server, user: options.user, key: options.key, skipSslVerify: options.skipSslVerify, timeoutMs: remaining });
        const outOfTime = new Promise<Candidate[]>((resolve) => (timer = setTimeout(() => resolve([]), remaining)));
        return await Promise.race([lookUp(client, kind, appId), outOfTime]);
      } catch {
        return [];
      } finally {
        clearTimeout(timer);
        // requests still running are cut off by the client's own timeout; nobody waits for them
        void client?.close().catch(() => {});
      }
    },
    async profileNames() {
      try {
        return (await ProfileStore.open(env)).list().map(([name]) => name);
      } catch {
        return [];
      }
    },
  };
}

/** The global options the typed command line resolves to. */
async function connection(program: string, globalWords: string[], env: NodeJS.ProcessEnv): Promise<GlobalOptions> {
  if (program === 'updatectl') {
    const set = legacyGlobalFlagSet(program);
    parseFlagWords(set, globalWords);
    const flags = new AliasedFlags(set, LEGACY_GLOBAL_FLAGS);
    const profile = flags.isSet('profile') ? String(flags.value('profile')) : undefined;
    return resolveLegacyGlobals(flags, env, await activeProfile(profile, env));
  }
  const set = globalFlagSet(program);
  parseFlagWords(set, globalWords);
  const profile = set.isSet('profile') ? set.getString('profile') : undefined;
  return resolveGlobals(set, env, await activeProfile(profile, env));
}

async function lookUp(client: ApiClient, kind: LiveKind, appId: string | undefined): Promise<Candidate[]> {
  if (kind === 'apps') {
    const apps = (await client.listApps()).items ?? [];
    return apps.filter((a) => a.id).map((a) => ({ value: a.id!, description: a.label || undefined }));
  }
  const appIds = appId ? [appId] : ((await client.listApps()).items ?? []).slice(0, MAX_APPS).flatMap((a) => (a.id ? [a.id] : []));
  const perApp = await Promise.all(appIds.map((id) => valuesOfApp(client, kind, id).catch(() => [] as Candidate[])));
  return perApp.flat();
}

async function valuesOfApp(client: ApiClient, kind: Exclude<LiveKind, 'apps'>, appId: string): Promise<Candidate[]> {
  switch (kind) {
    case 'groups':
      return ((await client.listGroups(appId)).items ?? []).flatMap((g) => (g.id ? [{ value: g.id, description: g.label || undefined }] : []));
    case 'channels':
      return ((await client.listChannels(appId)).items ?? []).flatMap((c) =>
        c.label ? [{ value: c.label, description: c.version ? `version ${c.version}` : undefined }] : [],
      );
    case 'versions':
      return ((await client.listPackages(appId)).items ?? []).flatMap((p) => (p.version ? [{ value: p.version }] : []));
  }
}
