/** `npm start`: load the settings, start the gateway, stop it cleanly on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config/index.js';
import { startGateway, stopGateway } from './gateway/start.js';

try {
  const gateway = await startGateway(loadConfig());
  const stop = (signal: string) => {
    gateway.logger.info({ signal }, 'stopping');
    stopGateway(gateway).then(
      () => process.exit(0),
      (err: unknown) => {
        gateway.logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  throw err;
}
