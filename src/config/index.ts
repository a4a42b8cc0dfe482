export { ConfigError, type ConfigProblem } from './config-error.js';
export { loadConfig, type LoadConfigOptions } from './load.js';
export type {
  Config,
  IdentityProviderConfig,
  IdentitySettings,
  OidcIdentityProviderConfig,
  SamlIdentityProviderConfig,
  StateConfig,
} from './schema.js';
