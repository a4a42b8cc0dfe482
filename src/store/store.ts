import type { Sequelize } from 'sequelize';
import type { Models } from './models/index.js';

/** An open store: what every repository function takes first. */
export interface Store {
  sequelize: Sequelize;
  models: Models;
}
