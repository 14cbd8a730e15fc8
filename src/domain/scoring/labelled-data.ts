import { FAULTS, POLARITIES, type Fault, type Polarity } from './post-score';

/** A post with what a person said about it. Every label is optional; a row needs at least one. */
export interface LabelledExample {
  id?: string;
  text: string;
  lang?: string | null;
  complaint?: boolean;
  polarity?: Polarity;
  category?: string;
  fault?: Fault;
}

export interface SkippedRow {
  /** 1-based line of the row's start in the file. */
  line: number;
  reason: string;
}

export interface LabelledFile {
  examples: LabelledExample[];
  skipped: SkippedRow[];
  /** Which column layout was recognised. */
  layout: 'labels' | 'airline-sentiment';
}

/**
 * How the "Twitter US Airline Sentiment" reasons map to our categories and to fault. Every reason
 * in that set is a failure of the airline's own service except "Can't Tell". The set cannot say
 * when a third party (weather, air traffic control) caused a delay, so fault agreement on it
 * measures only company-versus-unknown.
 */
export const AIRLINE_REASON_MAPPING: Readonly<Record<string, { category: string; fault: Fault }>> = {
  'Late Flight': { category: 'delay', fault: 'company' },
  'Cancelled Flight': { category: 'cancellation', fault: 'company' },
  'Lost Luggage': { category: 'baggage', fault: 'company' },
  'Damaged Luggage': { category: 'baggage', fault: 'company' },
  'Customer Service Issue': { category: 'customer_service', fault: 'company' },
  'Flight Booking Problems': { category: 'booking', fault: 'company' },
  'Flight Attendant Complaints': { category: 'staff_conduct', fault: 'company' },
  'Bad Flight': { category: 'product_defect', fault: 'company' },
  longlines: { category: 'delay', fault: 'company' },
  "Can't Tell": { category: 'other', fault: 'unknown' },
};

export class CsvError extends Error {}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. Returns rows with their line. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  while (index < text.length) {
    const char = text[index];
    if (quoted) {
      if (char === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      index += 1;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      endRow();
      line += 1;
      rowLine = line;
    } else field += char;
    index += 1;
  }
  if (quoted) throw new CsvError(`a quoted field that starts on line ${rowLine} is never closed`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'y', 'complaint']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'n', 'not_complaint', 'not complaint']);

/**
 * Reads a labelled CSV file. Two layouts are recognised by their header:
 * - ours: `text` plus any of `complaint` (true/false, yes/no, 1/0), `polarity`, `category`,
 *   `fault`, and optional `id` and `lang`;
 * - the airline sentiment set: `text`, `airline_sentiment` and `negativereason` (negative means
 *   complaint; reasons map through AIRLINE_REASON_MAPPING).
 * A row that cannot be read is skipped with its line and reason; the rest are kept.
 */
export function readLabelledCsv(text: string, categories?: readonly string[]): LabelledFile {
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header) throw new CsvError('the file is empty; it needs a header row with a "text" column');
  const columns = new Map(header.fields.map((name, index) => [name.trim().toLowerCase(), index]));
  const textColumn = columns.get('text');
  if (textColumn === undefined) throw new CsvError(`the header has no "text" column (it has: ${header.fields.join(', ')})`);
  const airline = columns.has('airline_sentiment');
  const labelColumns = ['complaint', 'polarity', 'category', 'fault'].filter((name) => columns.has(name));
  if (!airline && labelColumns.length === 0) {
    throw new CsvError('the header has no label column: give at least one of complaint, polarity, category, fault (or airline_sentiment)');
  }
  const categorySet = categories ? new Set(categories) : undefined;
  const examples: LabelledExample[] = [];
  const skipped: SkippedRow[] = [];
  const cell = (fields: string[], name: string): string | undefined => {
    const index = columns.get(name);
    if (index === undefined) return undefined;
    const value = fields[index]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  for (const { line, fields } of rows) {
    const postText = fields[textColumn];
    if (postText === undefined || postText.trim() === '') {
      skipped.push({ line, reason: 'the text is empty' });
      continue;
    }
    const example: LabelledExample = { text: postText };
    const id = cell(fields, 'id') ?? cell(fields, 'tweet_id');
    if (id !== undefined) example.id = id;
    const lang = cell(fields, 'lang');
    if (lang !== undefined) example.lang = lang;
    const problem = airline ? readAirlineLabels(example, fields, cell) : readOurLabels(example, fields, cell, categorySet);
    if (problem) {
      skipped.push({ line, reason: problem });
      continue;
    }
    examples.push(example);
  }
  return { examples, skipped, layout: airline ? 'airline-sentiment' : 'labels' };
}

type Cell = (fields: string[], name: string) => string | undefined;

function readAirlineLabels(example: LabelledExample, fields: string[], cell: Cell): string | undefined {
  const sentiment = cell(fields, 'airline_sentiment')?.toLowerCase();
  if (!isPolarity(sentiment)) return `airline_sentiment "${sentiment ?? ''}" is not negative, neutral or positive`;
  example.polarity = sentiment;
  example.complaint = sentiment === 'negative';
  if (sentiment === 'negative') {
    const reason = cell(fields, 'negativereason');
    const mapped = reason === undefined ? undefined : AIRLINE_REASON_MAPPING[reason];
    if (mapped) {
      example.category = mapped.category;
      example.fault = mapped.fault;
    }
  }
  return undefined;
}

function readOurLabels(example: LabelledExample, fields: string[], cell: Cell, categories: ReadonlySet<string> | undefined): string | undefined {
  const complaint = cell(fields, 'complaint')?.toLowerCase();
  if (complaint !== undefined) {
    if (TRUE_WORDS.has(complaint)) example.complaint = true;
    else if (FALSE_WORDS.has(complaint)) example.complaint = false;
    else return `complaint "${complaint}" is not true/false, yes/no or 1/0`;
  }
  const polarity = cell(fields, 'polarity')?.toLowerCase();
  if (polarity !== undefined) {
    if (!isPolarity(polarity)) return `polarity "${polarity}" is not negative, neutral or positive`;
    example.polarity = polarity;
  }
  const category = cell(fields, 'category')?.toLowerCase();
  if (category !== undefined) {
    if (categories && !categories.has(category)) return `category "${category}" is not one of ${[...categories].join(', ')}`;
    example.category = category;
  }
  const fault = cell(fields, 'fault')?.toLowerCase();
  if (fault !== undefined) {
    if (!isFault(fault)) return `fault "${fault}" is not one of ${FAULTS.join(', ')}`;
    example.fault = fault;
  }
  if (!hasAnyLabel(example)) return 'the row has no label';
  return undefined;
}

/** Whether any of the four labels is given (absent and null alike mean not given). */
export function hasAnyLabel(labels: { complaint?: unknown; polarity?: unknown; category?: unknown; fault?: unknown }): boolean {
  return [labels.complaint, labels.polarity, labels.category, labels.fault].some((label) => label !== undefined && label !== null);
}

export function isPolarity(value: unknown): value is Polarity {
  return typeof value === 'string' && (POLARITIES as readonly string[]).includes(value);
}

export function isFault(value: unknown): value is Fault {
  return typeof value === 'string' && (FAULTS as readonly string[]).includes(value);
}
