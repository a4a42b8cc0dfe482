/**
 * A whole gateway in its own process (`node --import tsx src/main.ts`, as `npm start` runs it),
 * with a settings file of the test's making. It logs JSON lines at info; `ready` resolves with
 * the URL once it listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface GatewayProcess {
  child: ChildProcess;
  ready: Promise<string>;
  logs: Record<string, unknown>[];
  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves when the process has ended. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

export function writeSettings(dir: string, name: string, yamlText: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, yamlText);
  return file;
}

export function startGatewayProcess(opts: {
  databaseUrl: string;
  settingsFile: string;
  instanceId: string;
}): GatewayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: opts.databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'info',
      CONTINUUM_CONFIG: opts.settingsFile,
      CONTINUUM_JOBS__INSTANCE_ID: opts.instanceId,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry['msg'] === 'Continuum is listening') resolve(String(entry['url']));
      } catch {
        // not a log line
      }
    });
    void exited.then((code) =>
      reject(new Error(`gateway exited (${code}) before listening: ${stderr}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    logs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
