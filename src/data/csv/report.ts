export const REJECT_REASONS = [
  'bad-time', 'unparseable-number', 'nan', 'negative-price', 'negative-volume', 'high-below-low', 'missing-field',
  'duplicate-time', 'time-out-of-range', 'non-finite',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface RejectedRow {
  /** 1-based line of the source file (or item number in a JSON array). */
  line: number;
  reason: RejectReason;
  /** The column the problem was found in, when there is one. */
  field?: string;
  /** The start of the offending line. */
  text: string;
}

/**
 * What an import did. Invariant: rowsRead = rowsKept + rowsRejected. Duplicates count as rejected with
 * reason 'duplicate-time' (the last occurrence in the file is kept).
 */
export interface ImportReport {
  format: string;
  symbol: string;
  timeframe: string;
  timezone: string;
  /** True when the source's prices were adjusted (Yahoo "Adj Close" applied). */
  adjusted: boolean;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  byReason: Partial<Record<RejectReason, number>>;
  /** The first rejected rows (up to `maxRejectedSamples`), in the order found. */
  rejected: RejectedRow[];
  /** True when the input was not in time order and had to be sorted. */
  sorted: boolean;
  duplicates: number;
  first: number;
  last: number;
  bytesRead: number;
  /** Notes such as "no volume column: volume set to 0". */
  notes: string[];
}

export class ImportError extends Error {
  override name = 'ImportError';
}
