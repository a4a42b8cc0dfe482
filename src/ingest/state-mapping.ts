/** Which mapping file a state's submissions are read with: `config.states[i].mapping`. */
import path from 'node:path';
import type { Config, StateConfig } from '../config/index.js';
import { loadMappingFile } from './mapping-contract.js';
import type { CompiledMapping } from './mapping-contract.js';

/** `<mappingsDir>/<name>.yaml`, `mappingsDir` being relative to the config folder. */
export function mappingFileOf(
  config: Pick<Config, 'configDir' | 'mappingsDir'>,
  name: string,
): string {
  return path.resolve(config.configDir, config.mappingsDir, `${name}.yaml`);
}

export function stateConfigOf(
  config: Pick<Config, 'states'>,
  code: string,
): StateConfig | undefined {
  return config.states.find((s) => s.code === code.toUpperCase());
}

/** Loads the state's mapping; throws the engine's MappingFileError when the file is wrong. */
export async function loadStateMapping(
  config: Pick<Config, 'configDir' | 'mappingsDir'>,
  state: Pick<StateConfig, 'mapping'>,
): Promise<CompiledMapping> {
  return loadMappingFile(mappingFileOf(config, state.mapping));
}
