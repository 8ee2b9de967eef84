// What every route module receives: the database and the resolved settings.
import type { ServerConfig } from './config.js';
import type { Store } from './db/connect.js';

export interface ServerContext {
  store: Store;
  config: ServerConfig;
}
