/**
 * When a failed delivery is tried again: the configured waits in turn (exponential, Standard
 * Webhooks' schedule by default), each varied by +/- `jitter` so that many deliveries failing
 * together do not retry together; after the last wait, none (dead letter).
 */
export function nextAttemptAt(
  attemptsMade: number,
  now: Date,
  delaysSeconds: readonly number[],
  jitter: number,
  random: () => number = Math.random,
): Date | null {
  const delay = delaysSeconds[attemptsMade - 1];
  if (delay === undefined) return null;
  const factor = 1 + jitter * (2 * random() - 1);
  return new Date(now.getTime() + Math.max(0, delay * factor * 1000));
}
