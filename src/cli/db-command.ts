import { Command } from 'commander';
import { loadConfig } from '../config/index.js';

/** Loaded on use, so `continuum --help` does not pay for Sequelize and the drivers. */
async function openStore() {
  const [{ redact }, { closeStore, initStore }, { migrate, pendingMigrations }] = await Promise.all(
    [import('../store/database.js'), import('../store/index.js'), import('../store/migrate.js')],
  );
  const config = loadConfig();
  const store = await initStore({ url: config.database.url, logging: false });
  return { config, store, redact, closeStore, migrate, pendingMigrations };
}

export function dbCommand(): Command {
  const db = new Command('db').description('Database schema');
  db.command('migrate')
    .description('Apply pending migrations (under a lock; running it twice changes nothing)')
    .action(async () => {
      const { config, store, redact, closeStore, migrate } = await openStore();
      try {
        const executed = await migrate(store.sequelize);
        const where = redact(config.database.url);
        process.stdout.write(
          executed.length === 0
            ? `${where}: schema is up to date, nothing to apply\n`
            : `${where}: applied ${executed.length} migration(s):\n${executed.map((m) => `  ${m}\n`).join('')}`,
        );
      } finally {
        await closeStore(store);
      }
    });
  db.command('status')
    .description('List migrations not yet applied')
    .action(async () => {
      const { store, closeStore, pendingMigrations } = await openStore();
      try {
        const pending = await pendingMigrations(store.sequelize);
        process.stdout.write(
          pending.length === 0
            ? 'schema is up to date\n'
            : `${pending.length} pending:\n${pending.map((m) => `  ${m}\n`).join('')}`,
        );
      } finally {
        await closeStore(store);
      }
    });
  return db;
}
