// What every route module receives: the database and the resolved settings.
import type { ServerConfig } from './config.js';
import type { Store } from './db/connect.js';
import type { OmahaService } from './omaha/service.js';

export interface ServerContext {
  store: Store;
  config: ServerConfig;
  /** The Omaha engine (absent in tools that only open the database). */
  omaha?: OmahaService;
}
