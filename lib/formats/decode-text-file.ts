// Turns an uploaded file's bytes into text, refusing what is not text with a message a user can act on.
// UTF-8 (with or without BOM) and UTF-16 with a BOM are accepted; everything else is named precisely.
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be";

export interface DecodedTextFile {
  text: string;
  encoding: TextEncodingName;
  byteLength: number;
  /** sha256 hex of the raw bytes: records which exact file an import came from. */
  sha256: string;
}

export type TextFileProblem = "empty" | "too_large" | "binary" | "encoding";

const MEGABYTE = 1024 * 1024;

function refuse(problem: TextFileProblem, message: string): never {
  throw new AppError("invalid_input", message, { problem });
}

/** Megabytes with one decimal; `roundUp` keeps a size just over a limit from reading as the limit itself. */
export function formatMegabytes(bytes: number, roundUp = false): string {
  const tenths = (roundUp ? Math.ceil : Math.round)((bytes / MEGABYTE) * 10) / 10;
  return `${tenths.toFixed(1)} MB`;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Decodes a text file. Throws AppError("invalid_input") with `details.problem` set when the file is empty,
 * larger than `maxBytes`, binary, or not valid UTF-8 / UTF-16. Byte positions in messages are 0-based offsets
 * from the start of the file (what a hex editor shows); lines are 1-based.
 */
export function decodeTextFile(
  bytes: Uint8Array,
  fileName: string,
  options: { maxBytes: number },
): DecodedTextFile {
  if (bytes.length === 0) refuse("empty", `${fileName} is empty`);
  if (bytes.length > options.maxBytes) {
    const limit = formatMegabytes(options.maxBytes);
    const size =
      formatMegabytes(bytes.length) === limit
        ? formatMegabytes(bytes.length, true)
        : formatMegabytes(bytes.length);
    refuse("too_large", `${fileName} is ${size}; the limit is ${options.maxBytes / MEGABYTE} MB`);
  }
  const sha256 = sha256Hex(bytes);
  const utf16 = utf16ByteOrder(bytes, fileName);
  let text: string;
  let encoding: TextEncodingName;
  if (utf16) {
    encoding = utf16;
    text = decodeUtf16(bytes, utf16, fileName);
    const nul = text.indexOf("\0");
    if (nul >= 0) refuse("binary", `${fileName} contains NUL characters, so it is not a text file`);
  } else {
    encoding = "utf-8";
    refuseBinary(bytes, fileName);
    text = decodeUtf8(bytes, fileName);
  }
  if (text.trim() === "") refuse("empty", `${fileName} is empty (it holds only whitespace)`);
  return { text, encoding, byteLength: bytes.length, sha256 };
}

function utf16ByteOrder(bytes: Uint8Array, fileName: string): "utf-16le" | "utf-16be" | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    if (bytes[2] === 0 && bytes[3] === 0) refuse("encoding", utf32Message(fileName));
    return "utf-16le";
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
    refuse("encoding", utf32Message(fileName));
  return null;
}

function utf32Message(fileName: string): string {
  return `${fileName} is UTF-32 text, which is not supported. Save it as UTF-8 and try again.`;
}

function decodeUtf16(bytes: Uint8Array, order: "utf-16le" | "utf-16be", fileName: string): string {
  let body = bytes.subarray(2);
  if (order === "utf-16be") {
    // Swapped to little-endian so decoding does not depend on the runtime's ICU build.
    const swapped = new Uint8Array(body.length);
    for (let i = 0; i + 1 < body.length; i += 2) {
      swapped[i] = body[i + 1]!;
      swapped[i + 1] = body[i]!;
    }
    if (body.length % 2 === 1) swapped[body.length - 1] = body[body.length - 1]!;
    body = swapped;
  }
  try {
    return new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return refuse(
      "encoding",
      `${fileName} starts like UTF-16 text but is not valid UTF-16. Save it as UTF-8 and try again.`,
    );
  }
}

const binarySignatures: { bytes: number[]; message: string }[] = [
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    message:
      "is a ZIP archive (an Excel .xlsx or Word file?), not text. Export it as CSV UTF-8 and try again.",
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0],
    message: "is an old Office file (.xls or .doc), not text. Export it as CSV UTF-8 and try again.",
  },
  {
    bytes: [0x25, 0x50, 0x44, 0x46],
    message: "is a PDF, not text. Copy its text into a .txt file and try again.",
  },
  { bytes: [0x1f, 0x8b], message: "is gzip-compressed. Decompress it and try again." },
];

function refuseBinary(bytes: Uint8Array, fileName: string): void {
  for (const signature of binarySignatures) {
    if (signature.bytes.every((byte, index) => bytes[index] === byte))
      refuse("binary", `${fileName} ${signature.message}`);
  }
  const nul = bytes.indexOf(0);
  if (nul < 0) return;
  if (looksLikeUtf16WithoutBom(bytes)) {
    refuse(
      "encoding",
      `${fileName} looks like UTF-16 text without a byte order mark. Save it as UTF-8 and try again.`,
    );
  }
  refuse(
    "binary",
    `${fileName} looks like a binary file (NUL byte at line ${lineAt(bytes, nul)}, byte ${nul}), not text`,
  );
}

function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const sample = Math.min(bytes.length, 4096);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  const half = sample / 2;
  return (oddNul > half * 0.4 && evenNul < half * 0.05) || (evenNul > half * 0.4 && oddNul < half * 0.05);
}

function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    // ignoreBOM: false (the default) strips a leading UTF-8 BOM.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const offset = findInvalidUtf8(bytes);
    const value = bytes[offset] ?? 0;
    const hex = `0x${value.toString(16).toUpperCase().padStart(2, "0")}`;
    const hint = value >= 0x80 ? " (the file may be Windows-1252 or Latin-1, as Excel often saves CSV)" : "";
    return refuse(
      "encoding",
      `${fileName} is not UTF-8 text: invalid byte ${hex} at line ${lineAt(bytes, offset)}, byte ${offset}${hint}. ` +
        "Save it as UTF-8 and try again.",
    );
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  let next = bytes.indexOf(0x0a);
  while (next >= 0 && next < offset) {
    line++;
    next = bytes.indexOf(0x0a, next + 1);
  }
  return line;
}

/** Offset of the first byte that starts an ill-formed UTF-8 sequence (WHATWG rules), or -1 when valid. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90; // overlong
      if (lead === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      if (byte === undefined || byte < min || byte > max) return i;
    }
    i += length;
  }
  return -1;
}
