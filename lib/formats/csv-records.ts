// CSV and TSV read into records (header row required) tagged with the physical line each row starts on, so a
// quoted field spanning lines does not shift the line numbers of later rows.
import Papa from "papaparse";
import type { LineRecord, ReadRecords } from "@/lib/formats/json-records";
import type { IssueList } from "@/lib/formats/line-issues";

const candidateDelimiters = [",", ";", "\t", "|"];

/** The delimiter a CSV most likely uses: the candidate that appears most often in its header line. */
export function guessCsvDelimiter(text: string): string {
  const end = text.indexOf("\n");
  const header = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, "");
  let best = ",";
  let bestCount = 0;
  for (const delimiter of candidateDelimiters) {
    const count = header.split(delimiter).length - 1;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

/** Counts lines forward through the text; offsets must only grow, so a whole file is one pass. */
class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  lineAt(offset: number): number {
    for (
      let next = this.text.indexOf("\n", this.offset);
      next >= 0 && next < offset;
      next = this.text.indexOf("\n", next + 1)
    ) {
      this.line++;
      this.offset = next + 1;
    }
    if (this.offset < offset) this.offset = offset;
    return this.line;
  }
}

const quoteReasons: Record<string, string> = {
  MissingQuotes: 'a quoted field is never closed (a closing " is missing)',
  InvalidQuotes: 'a quoted field has text after its closing " (write a quote inside a field as "")',
};

function isSpace(char: string | undefined): boolean {
  return char === " " || char === "\t" || char === "\n" || char === "\r";
}

export interface ReadDelimited extends ReadRecords {
  header: string[];
}

/** Parses delimited text ("\n" line ends). Rows whose cells are all blank are skipped like blank lines. */
export function readDelimited(text: string, delimiter: string, issues: IssueList): ReadDelimited {
  const records: LineRecord[] = [];
  let header: string[] | null = null;
  let rowCount = 0;
  let previousCursor = 0;
  const lines = new LineCounter(text);

  Papa.parse<string[]>(text, {
    delimiter,
    newline: "\n",
    quoteChar: '"',
    skipEmptyLines: "greedy",
    step: (result, parser) => {
      let start = previousCursor;
      // Skipped blank lines sit between the previous row and this one: the row starts after them.
      while (start < result.meta.cursor && isSpace(text[start]) && delimiter !== text[start]) start++;
      previousCursor = result.meta.cursor;
      const line = lines.lineAt(start);
      const row = result.data;
      // Papaparse repeats a quote error per field it affects: the first one says what went wrong.
      const quoteProblem = result.errors.map((error) => quoteReasons[error.code]).find(Boolean);

      if (header === null) {
        header = row.map((name) => name.trim());
        const problem = quoteProblem ?? headerProblem(header);
        if (problem) {
          issues.add(line, problem);
          parser.abort();
        }
        return;
      }
      if (row.every((cell) => cell.trim() === "")) return;
      rowCount++;
      if (quoteProblem) {
        issues.add(line, quoteProblem);
        return;
      }
      if (row.length !== header.length) {
        issues.add(line, `expected ${header.length} fields as in the header row, found ${row.length}`);
        return;
      }
      const record: Record<string, string> = {};
      header.forEach((name, index) => {
        record[name] = row[index] ?? "";
      });
      records.push({ line, record });
    },
  });
  return { records, rowCount, header: header ?? [] };
}

function headerProblem(header: string[]): string | null {
  const blank = header.findIndex((name) => name === "");
  if (blank >= 0) {
    return `the header row names no field for column ${blank + 1} (the first row must name every column)`;
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) return `the header row names the field "${name}" twice`;
    seen.add(name);
  }
  return null;
}
