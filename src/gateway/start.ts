/**
 * Start and stop the whole gateway in order (init/close pairs), so the entry point, the CLI and
 * tests boot it the same way and shut it down cleanly.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app.js';
import type { Config } from '../config/index.js';
import { closeIdentity, initIdentity, type Identity } from '../identity/index.js';
import { closeJobs, initJobs, type Scheduler } from '../jobs/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { redact } from '../store/database.js';
import { checkStore, closeStore, initStore, type Store } from '../store/index.js';
import { migrate } from '../store/migrate.js';
import { upsertStates } from '../store/repositories/states.js';
import { loadDemoDataIfEmpty } from './demo-data.js';

export interface Gateway {
  config: Config;
  logger: Logger;
  store: Store;
  identity: Identity;
  server: Server;
  /** Scheduled jobs of this instance (the SQL lease picks one instance per tick). */
  jobs: Scheduler;
  /** Where this instance listens, e.g. http://127.0.0.1:8080 (the real port when 0 was asked). */
  url: string;
}

export async function startGateway(
  config: Config,
  logger = createLogger(config),
): Promise<Gateway> {
  const store = await initStore({ url: config.database.url, logging: config.database.logging });
  let identity: Identity | undefined;
  try {
    if (config.database.migrateOnStart) {
      const executed = await migrate(store.sequelize);
      if (executed.length > 0) logger.info({ migrations: executed }, 'database migrated');
    }
    await upsertStates(
      store,
      config.states.map((s) => ({ code: s.code, name: s.name })),
    );
    if (config.demo.loadOnFirstStart) {
      const loaded = await loadDemoDataIfEmpty(store, config);
      if (loaded) logger.info(loaded, 'demo data loaded into an empty database');
    }
    identity = await initIdentity(config, store, logger);
    const app = createApp(config, {
      logger,
      checkDatabase: () => checkStore(store),
      identity,
      store,
    });
    const server = await listen(app, config.server.host, config.server.port);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.server.host}:${port}`;
    logger.info({ url, database: redact(config.database.url) }, 'Continuum is listening');
    let jobs: Scheduler;
    try {
      jobs = initJobs(config, store, logger);
    } catch (err) {
      await closeServer(server);
      throw err;
    }
    return { config, logger, store, identity, server, jobs, url };
  } catch (err) {
    if (identity) await closeIdentity(identity);
    await closeStore(store);
    throw err;
  }
}

export async function stopGateway(gateway: Gateway): Promise<void> {
  // Jobs first: a running tick ends at its next safe point and releases its lease while the
  // store is still open.
  await closeJobs(gateway.jobs);
  await closeServer(gateway.server);
  await closeIdentity(gateway.identity);
  await closeStore(gateway.store);
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeIdleConnections();
  });
}

function listen(app: ReturnType<typeof createApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}
