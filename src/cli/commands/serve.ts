// `serve`: runs the update service. Its options follow the service's own
// conventions (see docs/server.md), so they are parsed by the server entry.
import type { CommandSpec } from '../command.js';

export const serve: CommandSpec = {
  name: 'serve',
  summary: 'Run the update service (v1 API, Omaha endpoint, dashboard).',
  usage: '[OPTION]...',
  description: 'Start the update service. Run "serve --help" for its settings.',
};
