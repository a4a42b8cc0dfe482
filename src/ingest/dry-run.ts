/**
 * The dry run behind `continuum mapping check` (DESIGN.md section 5): a sample file through the
 * mapping and every check ingest makes, reporting each mapped document and each error as it
 * goes, storing nothing.
 */
import { todayUtc } from '../exchange/dates.js';
import type { ExchangeDocument, IsoDate } from '../exchange/types.js';
import { openInput } from './input.js';
import type { IngestInput } from './input.js';
import { isFileRefusedError } from './mapping-contract.js';
import type { CompiledMapping } from './mapping-contract.js';
import { checkMappedRecord } from './record-checks.js';
import { refusalText } from './ingest-file.js';
import { truncatedValue } from './submission-views.js';
import type { RejectView } from './submission-views.js';

export interface DryRunDocument {
  row: number;
  action: 'upsert' | 'delete';
  stateStudentId: string;
  /** The document as ingest would store it (eligibility expiration filled in); absent for a delete. */
  document?: ExchangeDocument;
}

export interface DryRunOptions {
  mapping: CompiledMapping;
  fileName: string;
  input: IngestInput;
  today?: IsoDate;
  onDocument?: (document: DryRunDocument) => void;
  onReject?: (reject: RejectView) => void;
}

export interface DryRunResult {
  records: number;
  accepted: number;
  deleted: number;
  rejected: number;
  /** Why the mapping refused the whole file, when it did. */
  refused: string | null;
}

export async function dryRunMapping(options: DryRunOptions): Promise<DryRunResult> {
  const today = options.today ?? todayUtc();
  const result: DryRunResult = { records: 0, accepted: 0, deleted: 0, rejected: 0, refused: null };
  const input = await openInput(options.input);
  try {
    for await (const record of options.mapping.read(input.body(), {
      fileName: options.fileName,
    })) {
      result.records++;
      const checked = checkMappedRecord(record, { today });
      if (checked.kind === 'reject') {
        result.rejected++;
        for (const p of checked.problems) {
          options.onReject?.({
            file: options.fileName,
            row: p.row ?? checked.row,
            field: p.field ?? null,
            target: p.target ?? null,
            value: truncatedValue(p.value),
            reason: p.reason,
          });
        }
      } else if (checked.kind === 'delete') {
        result.deleted++;
        options.onDocument?.({
          row: checked.row,
          action: 'delete',
          stateStudentId: checked.stateStudentId,
        });
      } else {
        result.accepted++;
        options.onDocument?.({
          row: checked.row,
          action: 'upsert',
          stateStudentId: checked.stateStudentId,
          document: checked.document,
        });
      }
    }
  } catch (err) {
    if (!isFileRefusedError(err)) throw err;
    result.refused = refusalText(err);
  } finally {
    input.close();
  }
  return result;
}
