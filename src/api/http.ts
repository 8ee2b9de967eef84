// The two parts of undici the client uses: Agent (a connection pool per
// origin) and its request API, loaded on their own. undici's index also loads
// fetch, WebSocket, EventSource, cookies, mock agents and cache stores, and
// their use of web globals makes Node load its own copy of undici as well:
// tens of milliseconds before the first request of every command.
import type { Agent as AgentType, Dispatcher } from 'undici';
import AgentImpl from 'undici/lib/dispatcher/agent.js';
import requestImpl from 'undici/lib/api/api-request.js';

export const Agent: typeof AgentType = AgentImpl;

export interface RequestOptions {
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body?: Dispatcher.DispatchOptions['body'];
}

/** undici's `request(url, { dispatcher, … })`: the same call on the same dispatcher, without its index. */
export function request(dispatcher: Dispatcher, url: URL, opts: RequestOptions): Promise<Dispatcher.ResponseData> {
  return requestImpl.call(dispatcher, { ...opts, origin: url.origin, path: `${url.pathname}${url.search}` });
}
