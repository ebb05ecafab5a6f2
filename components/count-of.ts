/** A count with its noun in the right number: "1 record", "2 records", "1,000 entries" (en-US digits). */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
