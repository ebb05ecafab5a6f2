// The largest seed file the app accepts, shared by the server check and the browser (which refuses a larger
// file before uploading it, instead of failing silently at the request size limit).
export const SEED_FILE_MAX_BYTES = 50 * 1024 * 1024;

/** The browser-side message for a file over the limit; null when the file may be sent. */
export function seedFileTooLargeMessage(file: { name: string; size: number }): string | null {
  if (file.size <= SEED_FILE_MAX_BYTES) return null;
  const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${file.name} is ${megabytes(file.size)}; the largest seed file accepted is ${megabytes(SEED_FILE_MAX_BYTES)}. Split it into smaller files (each import adds to the seeds) or remove unused fields.`;
}
