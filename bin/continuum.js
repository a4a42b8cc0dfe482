#!/usr/bin/env -S node --max-semi-space-size=32
// Entry for `npx continuum`: registers tsx so the TypeScript sources run as they are, then
// hands over to the CLI. The V8 flag (as in `npm start`) gives the young generation 32 MB
// semi-spaces instead of 16: an ingest's batches (documents, rows, statements) then die young
// instead of being promoted and collected as old objects. 200,000 CA children on PostgreSQL:
// about 41.5 s to 39.8 s, peak RSS about 470 MB (bench/README.md, Ingest). V8 reads the flag
// only when the process starts, so it is given here and not set from the code.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/index.ts');
