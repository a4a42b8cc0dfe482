/**
 * How far V8 lets a heap grow past what survived its last full collection before it collects
 * again. On a machine with much memory V8 allows up to four times that, and an ingest allocates
 * fast (each batch's documents, rows and statements) while keeping little alive (two or three
 * batches): measured at 50,000 children, the writing thread's heap reached about 330 MB with
 * about 45 MB alive, most of the process's peak RSS. At most twice keeps the heap nearer what is
 * alive, for more frequent (short) full collections: 200,000 children, writing thread's heap
 * 343 -> 195 MB, peak RSS 542 -> 398 MB, about 2 s more CPU (bench/README.md, Ingest).
 *
 * A V8 setting, for the whole process (every thread, every isolate), made once before the first
 * ingest; V8 reads it at each collection. The process's own command line (--heap-growing-percent)
 * wins: it is not changed when set there.
 */
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 100;
let limited = false;

export function limitHeapGrowth(): void {
  if (limited) return;
  limited = true;
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  if (given.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
