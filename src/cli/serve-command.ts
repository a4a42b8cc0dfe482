import { Command } from 'commander';
import { loadConfig } from '../config/index.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Run the gateway (HTTP API, portal and scheduled jobs)')
    .option('-p, --port <port>', 'port to listen on (overrides server.port)')
    .action(async (options: { port?: string }) => {
      const { startGateway, stopGateway } = await import('../gateway/start.js');
      const env = options.port ? { ...process.env, PORT: options.port } : process.env;
      const gateway = await startGateway(loadConfig({ env }));
      const stop = () => {
        void stopGateway(gateway).finally(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
