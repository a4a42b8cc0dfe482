/**
 * A whole gateway (as `npm start` runs it) on a known port with the given states, for the
 * browser tests against real IdPs. Its config folder and SQLite file are temporary.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/index.js';
import { startGateway, stopGateway, type Gateway } from '../../src/gateway/start.js';

export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function startGatewayWith(
  port: number,
  states: Record<string, Record<string, unknown>>,
  env: Record<string, string> = {},
): Promise<{ gateway: Gateway; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'continuum-e2e-'));
  mkdirSync(path.join(dir, 'states'));
  writeFileSync(
    path.join(dir, 'test.yaml'),
    stringify({
      server: { port, publicUrl: `http://127.0.0.1:${port}` },
      database: { url: `sqlite:${path.join(dir, 'db.sqlite')}` },
      log: { level: 'silent' },
      demo: { loadOnFirstStart: false },
    }),
  );
  for (const [code, state] of Object.entries(states)) {
    writeFileSync(path.join(dir, 'states', `${code}.yaml`), stringify(state));
  }
  const config = loadConfig({ configDir: dir, env: { NODE_ENV: 'test', ...env } });
  const gateway = await startGateway(config, pino({ level: 'silent' }));
  return {
    gateway,
    async stop() {
      await stopGateway(gateway);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
