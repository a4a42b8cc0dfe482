import { pino, type Logger } from 'pino';
import type { Config } from '../config/index.js';

export type { Logger };

/**
 * Structured logs. Student data never goes into a log line: log ids (submission, record, request),
 * not names or birth dates. The redact list is a second line of defence for headers.
 */
export function createLogger(config: Pick<Config, 'log'>): Logger {
  return pino({
    level: config.log.level,
    base: { service: 'continuum' },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  });
}
