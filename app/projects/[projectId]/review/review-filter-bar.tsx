"use client";

import { useEffect, useEffectEvent, useState, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/field";
import type { ReviewFacets } from "@/lib/db/review";
import {
  isDefaultReviewFilter,
  reviewDecisions,
  reviewFilterParams,
  reviewStateLabels,
  reviewStates,
  type ReviewFilter,
} from "@/lib/schemas/review";

const searchDelayMs = 300;

function gapError(minText: string, maxText: string): { gapMin?: string; gapMax?: string } {
  const errors: { gapMin?: string; gapMax?: string } = {};
  const min = minText.trim() === "" ? undefined : Number(minText);
  const max = maxText.trim() === "" ? undefined : Number(maxText);
  if (min !== undefined && !Number.isFinite(min)) errors.gapMin = "Enter a number";
  if (max !== undefined && !Number.isFinite(max)) errors.gapMax = "Enter a number";
  if (!errors.gapMin && !errors.gapMax && min !== undefined && max !== undefined && min > max) {
    errors.gapMax = "The maximum must be at least the minimum";
  }
  return errors;
}

/** The review filters. Selects apply at once; the gap range on Enter or leaving the field; search as you type. */
export function ReviewFilterBar({
  filter,
  facets,
  onChange,
  searchRef,
}: {
  filter: ReviewFilter;
  facets: ReviewFacets;
  onChange: (filter: ReviewFilter) => void;
  searchRef: RefObject<HTMLInputElement | null>;
}) {
  const [search, setSearch] = useState(filter.search ?? "");
  const [gapMin, setGapMin] = useState(filter.gapMin?.toString() ?? "");
  const [gapMax, setGapMax] = useState(filter.gapMax?.toString() ?? "");
  // Follow the URL when it changes from elsewhere (back button, "Clear filters").
  const filterKey = reviewFilterParams(filter).toString();
  const [shownKey, setShownKey] = useState(filterKey);
  if (shownKey !== filterKey) {
    setShownKey(filterKey);
    if ((filter.search ?? "") !== search.trim()) setSearch(filter.search ?? "");
    setGapMin(filter.gapMin?.toString() ?? "");
    setGapMax(filter.gapMax?.toString() ?? "");
  }

  const set = (patch: Partial<ReviewFilter>) => {
    const next: ReviewFilter = { ...filter, ...patch };
    for (const key of Object.keys(next) as Array<keyof ReviewFilter>)
      if (next[key] === undefined) delete next[key];
    onChange(next);
  };

  // Reads the filter of the moment it fires, so a select changed meanwhile is kept.
  const applySearch = useEffectEvent((text: string) => {
    if (text !== (filter.search ?? "")) set({ search: text || undefined });
  });
  useEffect(() => {
    const timer = setTimeout(() => applySearch(search.trim()), searchDelayMs);
    return () => clearTimeout(timer);
  }, [search]);

  const errors = gapError(gapMin, gapMax);
  const applyGap = () => {
    if (errors.gapMin || errors.gapMax) return;
    const min = gapMin.trim() === "" ? undefined : Number(gapMin);
    const max = gapMax.trim() === "" ? undefined : Number(gapMax);
    if (min !== filter.gapMin || max !== filter.gapMax) set({ gapMin: min, gapMax: max });
  };
  const iterations = Array.from({ length: Math.max(facets.maxIteration, 4) }, (_, index) => index + 1);

  return (
    <form
      role="search"
      aria-label="Review filters"
      className="grid grid-cols-2 items-start gap-2 rounded-lg border border-zinc-200 bg-white p-2 md:grid-cols-4 xl:grid-cols-8"
      onSubmit={(event) => {
        event.preventDefault();
        applyGap();
      }}
    >
      <Input
        ref={searchRef}
        type="search"
        aria-label="Search instructions"
        placeholder='Search text ( / )  e.g. "linked list" -java'
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        className="col-span-2"
        data-testid="review-search"
      />
      <Select
        aria-label="State"
        value={filter.state ?? ""}
        onChange={(event) => set({ state: (event.target.value || undefined) as ReviewFilter["state"] })}
        className="w-40"
      >
        <option value="">{reviewStateLabels.final}</option>
        {reviewStates.map((state) => (
          <option key={state} value={state}>
            {reviewStateLabels[state]}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Human decision"
        value={filter.decision ?? ""}
        onChange={(event) => set({ decision: (event.target.value || undefined) as ReviewFilter["decision"] })}
        className="w-36"
      >
        <option value="">Any decision</option>
        {reviewDecisions.map((decision) => (
          <option key={decision} value={decision}>
            {decision[0]!.toUpperCase() + decision.slice(1)}
          </option>
        ))}
      </Select>
      <div className="flex items-start gap-1">
        <div>
          <Input
            type="text"
            inputMode="decimal"
            aria-label="Minimum gap"
            aria-invalid={errors.gapMin ? true : undefined}
            aria-describedby={errors.gapMin ? "gap-min-error" : undefined}
            placeholder="gap ≥"
            value={gapMin}
            onChange={(event) => setGapMin(event.target.value)}
            onBlur={applyGap}
            className="w-20"
          />
          {errors.gapMin ? (
            <p id="gap-min-error" role="alert" className="mt-0.5 text-xs text-red-600">
              {errors.gapMin}
            </p>
          ) : null}
        </div>
        <div>
          <Input
            type="text"
            inputMode="decimal"
            aria-label="Maximum gap"
            aria-invalid={errors.gapMax ? true : undefined}
            aria-describedby={errors.gapMax ? "gap-max-error" : undefined}
            placeholder="gap ≤"
            value={gapMax}
            onChange={(event) => setGapMax(event.target.value)}
            onBlur={applyGap}
            className="w-20"
          />
          {errors.gapMax ? (
            <p id="gap-max-error" role="alert" className="mt-0.5 max-w-40 text-xs text-red-600">
              {errors.gapMax}
            </p>
          ) : null}
        </div>
      </div>
      <Select
        aria-label="Iteration"
        value={filter.iteration?.toString() ?? ""}
        onChange={(event) => set({ iteration: event.target.value ? Number(event.target.value) : undefined })}
        className="w-32"
      >
        <option value="">Any iteration</option>
        {iterations.map((iteration) => (
          <option key={iteration} value={iteration}>
            Iteration {iteration}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Use case"
        value={filter.useCase ?? ""}
        onChange={(event) => set({ useCase: event.target.value || undefined })}
        className="w-44"
      >
        <option value="">Any use case</option>
        {withCurrent(facets.useCases, filter.useCase).map((useCase) => (
          <option key={useCase} value={useCase}>
            {useCase}
          </option>
        ))}
      </Select>
      <Select
        aria-label="Skill"
        value={filter.skill ?? ""}
        onChange={(event) => set({ skill: event.target.value || undefined })}
        className="w-40"
      >
        <option value="">Any skill</option>
        {withCurrent(facets.skills, filter.skill).map((skill) => (
          <option key={skill} value={skill}>
            {skill}
          </option>
        ))}
      </Select>
      {facets.runs.length > 1 || filter.runId !== undefined ? (
        <Select
          aria-label="Run"
          value={filter.runId?.toString() ?? ""}
          onChange={(event) => set({ runId: event.target.value ? Number(event.target.value) : undefined })}
          className="w-32"
        >
          <option value="">Any run</option>
          {facets.runs.map((run) => (
            <option key={run.id} value={run.id}>
              Run #{run.id} ({run.state})
            </option>
          ))}
        </Select>
      ) : null}
      {!isDefaultReviewFilter(filter) ? (
        <Button variant="ghost" onClick={() => onChange({})}>
          Clear filters
        </Button>
      ) : null}
      <button type="submit" hidden aria-hidden tabIndex={-1} />
    </form>
  );
}

/** A value from a shared link stays selectable even when it is not (or no longer) among the facets. */
function withCurrent(values: readonly string[], current: string | undefined): string[] {
  return current && !values.includes(current) ? [current, ...values] : [...values];
}
