import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeTextFile, findInvalidUtf8, formatMegabytes } from "@/lib/formats/decode-text-file";
import { decodeSeedFile, SEED_FILE_MAX_BYTES } from "@/lib/formats/seed-file";

const utf8 = (text: string) => new TextEncoder().encode(text);

function utf16(text: string, order: "le" | "be"): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set(order === "le" ? [0xff, 0xfe] : [0xfe, 0xff]);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const [low, high] = [code & 0xff, code >> 8];
    bytes.set(order === "le" ? [low, high] : [high, low], 2 + i * 2);
  }
  return bytes;
}

function refusal(run: () => unknown): { message: string; code: string; problem: string } {
  try {
    run();
  } catch (error) {
    const { message, code, details } = error as {
      message: string;
      code: string;
      details: { problem: string };
    };
    return { message, code, problem: details.problem };
  }
  throw new Error("expected the file to be refused");
}

describe("decodeSeedFile", () => {
  it("refuses an empty file and a file of only whitespace", () => {
    expect(refusal(() => decodeSeedFile(new Uint8Array(), "seeds.jsonl"))).toEqual({
      message: "seeds.jsonl is empty",
      code: "invalid_input",
      problem: "empty",
    });
    expect(refusal(() => decodeSeedFile(utf8("\uFEFF \n\t\n"), "blank.txt")).message).toBe(
      "blank.txt is empty (it holds only whitespace)",
    );
  });

  it("accepts exactly 50 MB and refuses one byte more, naming the size", () => {
    const atLimit = new Uint8Array(SEED_FILE_MAX_BYTES).fill(0x61);
    expect(decodeSeedFile(atLimit, "big.txt").byteLength).toBe(SEED_FILE_MAX_BYTES);
    const overLimit = new Uint8Array(SEED_FILE_MAX_BYTES + 1).fill(0x61);
    expect(refusal(() => decodeSeedFile(overLimit, "big.txt"))).toMatchObject({
      message: "big.txt is 50.1 MB; the limit is 50 MB",
      problem: "too_large",
    });
  });

  it("formats sizes like the limit message", () => {
    expect(formatMegabytes(Math.round(63.2 * 1024 * 1024))).toBe("63.2 MB");
    expect(
      refusal(() => decodeTextFile(new Uint8Array(66_270_413), "huge.csv", { maxBytes: SEED_FILE_MAX_BYTES }))
        .message,
    ).toBe("huge.csv is 63.2 MB; the limit is 50 MB");
  });

  it("decodes UTF-8, strips its BOM and hashes the raw bytes", () => {
    const bytes = utf8("\uFEFFcafé ☕ 🍰\n");
    const decoded = decodeSeedFile(bytes, "seeds.txt");
    expect(decoded).toEqual({
      text: "café ☕ 🍰\n",
      encoding: "utf-8",
      byteLength: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  });

  it("decodes UTF-16 little- and big-endian files that start with a BOM", () => {
    expect(decodeSeedFile(utf16("Résumé tips\nÇa va?", "le"), "a.txt")).toMatchObject({
      text: "Résumé tips\nÇa va?",
      encoding: "utf-16le",
    });
    expect(decodeSeedFile(utf16("Résumé tips\nÇa va?", "be"), "b.txt")).toMatchObject({
      text: "Résumé tips\nÇa va?",
      encoding: "utf-16be",
    });
  });

  it("names the line and byte offset of the first byte that is not UTF-8", () => {
    // "café" in Windows-1252 on line 3: é is the single byte 0xE9.
    const bytes = new Uint8Array([...utf8('{"a":1}\n{"b":2}\n{"instruction":"caf'), 0xe9, ...utf8('"}\n')]);
    const offset = bytes.indexOf(0xe9);
    expect(refusal(() => decodeSeedFile(bytes, "latin1.jsonl"))).toEqual({
      message:
        `latin1.jsonl is not UTF-8 text: invalid byte 0xE9 at line 3, byte ${offset} ` +
        "(the file may be Windows-1252 or Latin-1, as Excel often saves CSV). Save it as UTF-8 and try again.",
      code: "invalid_input",
      problem: "encoding",
    });
    expect(offset).toBe(35); // 0-based: 16 bytes of lines 1–2, then 19 before the é
  });

  it("calls a file with NUL bytes binary, and recognises common non-text formats", () => {
    expect(
      refusal(() => decodeSeedFile(new Uint8Array([0x61, 0x0a, 0x62, 0x00, 0x63]), "data.bin")),
    ).toMatchObject({
      message: "data.bin looks like a binary file (NUL byte at line 2, byte 3), not text",
      problem: "binary",
    });
    const xlsx = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    expect(refusal(() => decodeSeedFile(xlsx, "seeds.xlsx")).message).toBe(
      "seeds.xlsx is a ZIP archive (an Excel .xlsx or Word file?), not text. Export it as CSV UTF-8 and try again.",
    );
    expect(refusal(() => decodeSeedFile(utf8("%PDF-1.7\n..."), "paper.pdf")).problem).toBe("binary");
  });

  it("recognises UTF-16 without a BOM and UTF-32 instead of calling them binary", () => {
    const noBom = utf16("Write a story about a dragon", "le").subarray(2);
    expect(refusal(() => decodeSeedFile(noBom, "u16.txt"))).toMatchObject({
      message: "u16.txt looks like UTF-16 text without a byte order mark. Save it as UTF-8 and try again.",
      problem: "encoding",
    });
    const utf32 = new Uint8Array([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]);
    expect(refusal(() => decodeSeedFile(utf32, "u32.txt")).message).toBe(
      "u32.txt is UTF-32 text, which is not supported. Save it as UTF-8 and try again.",
    );
  });

  it("refuses a UTF-16 file with a broken surrogate pair", () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8, 0x61, 0x00]);
    expect(refusal(() => decodeSeedFile(bytes, "bad16.txt")).message).toBe(
      "bad16.txt starts like UTF-16 text but is not valid UTF-16. Save it as UTF-8 and try again.",
    );
  });
});

describe("findInvalidUtf8", () => {
  it.each([
    ["valid multi-byte text", utf8("aé☕🍰"), -1],
    ["a stray continuation byte", new Uint8Array([0x61, 0x80]), 1],
    ["an overlong encoding", new Uint8Array([0x61, 0x62, 0xc0, 0x80]), 2],
    ["an overlong 3-byte encoding", new Uint8Array([0xe0, 0x80, 0x80]), 0],
    ["an encoded surrogate", new Uint8Array([0x61, 0xed, 0xa0, 0x80]), 1],
    ["a code point above U+10FFFF", new Uint8Array([0xf4, 0x90, 0x80, 0x80]), 0],
    ["a sequence cut off at the end", new Uint8Array([0x61, 0xe2, 0x82]), 1],
    ["a byte that never occurs", new Uint8Array([0x61, 0xff]), 1],
  ])("finds %s", (_name, bytes, expected) => {
    expect(findInvalidUtf8(bytes)).toBe(expected);
  });
});
