import { describe, expect, it } from "vitest";
import { createExportSchema, exportFilterSchema } from "@/lib/schemas/export";
import { fieldErrorsOf } from "@/lib/schemas/form-errors";
import {
  countQueryString,
  initialExportFormValues,
  parseExportQuery,
  validateExportForm,
} from "./export-form-values";
import { describeExport, exportDownloadUrl, formatBytes } from "./export-view";

describe("the export form", () => {
  it("turns typed values into a kept-only review filter and export options", () => {
    const parsed = validateExportForm(3, {
      ...initialExportFormValues(),
      format: "alpaca",
      decision: "accepted",
      gapMin: " 3.5 ",
      gapMax: "",
      iteration: "1",
      useCase: "Cooking",
      search: "  bread ",
      includeProvenance: true,
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({
      projectId: 3,
      format: "alpaca",
      filter: { state: "kept", gapMin: 3.5, iteration: 1, useCase: "Cooking", search: "bread" },
      options: { onlyAccepted: true, applyEdits: true, includeProvenance: true, fullProvenance: false },
    });
    // What the form sends is what the server action accepts.
    expect(createExportSchema.parse(parsed.data)).toEqual(parsed.data);
  });

  it("puts each problem next to its field", () => {
    const parsed = validateExportForm(3, {
      ...initialExportFormValues(),
      gapMin: "abc",
      iteration: "1.5",
      runId: "0",
    });
    expect(parsed.success).toBe(false);
    const errors = fieldErrorsOf(parsed.error!);
    expect(Object.keys(errors).sort()).toEqual(["gapMin", "iteration", "runId"]);
    expect(errors.gapMin).toMatch(/number/);
    expect(errors.iteration).toMatch(/whole number/);

    const range = validateExportForm(3, { ...initialExportFormValues(), gapMin: "5", gapMax: "2" });
    expect(fieldErrorsOf(range.error!)).toEqual({ gapMax: "The highest gap must be at least the lowest" });
  });

  it("maps 'not reviewed yet' to the decision filter, not to an option", () => {
    const parsed = validateExportForm(1, { ...initialExportFormValues(), decision: "unreviewed" });
    expect(parsed.data?.filter).toEqual({ state: "kept", decision: "unreviewed" });
    expect(parsed.data?.options.onlyAccepted).toBe(false);
  });

  it("prefills from a review link and round-trips the count query string", () => {
    const query = parseExportQuery(
      new URLSearchParams("gapMin=4&iteration=2&q=soup&run=9&skill=baking&decision=unreviewed"),
    );
    expect(query.errors).toEqual({});
    const values = initialExportFormValues(query.filter, query.onlyAccepted);
    expect(values).toMatchObject({
      gapMin: "4",
      iteration: "2",
      search: "soup",
      runId: "9",
      skill: "baking",
      decision: "unreviewed",
    });

    const parsed = validateExportForm(1, { ...values, decision: "accepted" });
    const string = countQueryString(parsed.data!.filter, parsed.data!.options.onlyAccepted);
    const back = parseExportQuery(new URLSearchParams(string));
    expect(back.onlyAccepted).toBe(true);
    expect(back.filter).toEqual(parsed.data!.filter);
  });

  it("reports URL values it does not understand", () => {
    expect(parseExportQuery({ gapMin: "lots", onlyAccepted: "true" })).toMatchObject({
      errors: { gapMin: "Enter a number" },
      onlyAccepted: true,
    });
  });
});

describe("exportFilterSchema", () => {
  it("accepts the kept state only", () => {
    expect(exportFilterSchema.safeParse({ state: "kept", gapMin: 1 }).success).toBe(true);
    const dropped = exportFilterSchema.safeParse({ state: "dropped" });
    expect(dropped.success).toBe(false);
    expect(dropped.error?.issues[0]?.message).toBe("Only kept pairs can be exported");
  });
});

describe("export view helpers", () => {
  it("summarizes what went into an export", () => {
    expect(
      describeExport({
        filter: { gapMin: 4, iteration: 1, useCase: "Cooking" },
        options: { onlyAccepted: true, applyEdits: true, includeProvenance: true, fullProvenance: false },
      }),
    ).toBe('accepted only · gap ≥ 4 · iteration 1 · use case "Cooking" · edits applied · with provenance');
    expect(
      describeExport({
        filter: {},
        options: { onlyAccepted: false, applyEdits: false, includeProvenance: false, fullProvenance: true },
      }),
    ).toBe("all kept · original text · with full provenance");
  });

  it("formats sizes and download links", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(1_436_231_516)).toBe("1.3 GB");
    expect(exportDownloadUrl(2, 17)).toBe("/api/projects/2/exports/17");
  });
});
