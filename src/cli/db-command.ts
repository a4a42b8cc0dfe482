import { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { redact } from '../store/database.js';
import { closeStore, initStore } from '../store/index.js';
import { migrate, pendingMigrations } from '../store/migrate.js';

export function dbCommand(): Command {
  const db = new Command('db').description('Database schema');
  db.command('migrate')
    .description('Apply pending migrations (under a lock; running it twice changes nothing)')
    .action(async () => {
      const config = loadConfig();
      const store = await initStore({ url: config.database.url, logging: false });
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
      const config = loadConfig();
      const store = await initStore({ url: config.database.url, logging: false });
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
