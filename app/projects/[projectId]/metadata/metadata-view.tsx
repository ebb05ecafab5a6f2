"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input, Select } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import type { MetadataCharts } from "@/lib/db/metadata";
import type { MetadataOriginName } from "@/lib/schemas/metadata";
import { EntryForm } from "./entry-form";
import { deleteMetadataEntriesAction } from "./metadata-actions";
import { MetadataChartCards } from "./metadata-charts";
import { MetadataTable, type MetadataTableRow } from "./metadata-table";
import { countOf } from "@/components/count-of";
import { useDebounced } from "@/components/use-debounced";

interface MetadataPage {
  rows: MetadataTableRow[];
  total: number;
}

const pageSize = 50;
const originLabels: Record<MetadataOriginName, string> = {
  seed: "from seeds",
  mixed: "mix-and-match",
  handwritten: "hand-written",
};

export function MetadataView({
  projectId,
  maxSkills,
  seedCount,
  initialPage,
  initialCharts,
}: {
  projectId: number;
  maxSkills: number;
  seedCount: number;
  initialPage: MetadataPage;
  initialCharts: MetadataCharts;
}) {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [origin, setOrigin] = useState<MetadataOriginName | "">("");
  const [search, setSearch] = useState("");
  const [useCase, setUseCase] = useState("");
  const [skill, setSkill] = useState("");
  const debouncedSearch = useDebounced(search.trim(), 250);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [editing, setEditing] = useState<MetadataTableRow | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const unfiltered = !origin && !debouncedSearch && !useCase && !skill;

  const pageParams = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  for (const [key, value] of Object.entries({ origin, search: debouncedSearch, useCase, skill })) {
    if (value) pageParams.set(key, value);
  }
  const pageQuery = pageParams.toString();
  const entries = useQuery<MetadataPage>({
    queryKey: queryKeys.metadataPage(projectId, pageQuery),
    queryFn: ({ signal }) =>
      fetchJson<MetadataPage>(`/api/projects/${projectId}/metadata`, { params: pageQuery, signal }),
    initialData: page === 1 && unfiltered ? initialPage : undefined,
    placeholderData: keepPreviousData,
  });
  const charts = useQuery<MetadataCharts>({
    queryKey: queryKeys.metadataCharts(projectId, origin),
    queryFn: ({ signal }) =>
      fetchJson<MetadataCharts>(`/api/projects/${projectId}/metadata/charts`, { params: { origin }, signal }),
    initialData: origin ? undefined : initialCharts,
    placeholderData: keepPreviousData,
  });

  function refresh() {
    void queryClient.invalidateQueries({ queryKey: queryKeys.metadata(projectId) });
  }
  function filter(update: () => void) {
    update();
    setPage(1);
  }

  const remove = useMutation({
    mutationFn: async () => {
      const result = await deleteMetadataEntriesAction({ projectId, ids: [...selected] });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    onSuccess: ({ deleted, withInstructions }) => {
      setConfirmingDelete(false);
      setSelected(new Set());
      setNotice(
        `Deleted ${deleted} entr${deleted === 1 ? "y" : "ies"}.` +
          (withInstructions > 0
            ? ` ${withInstructions} kept: instructions were generated from ${withInstructions === 1 ? "it" : "them"}.`
            : ""),
      );
      refresh();
    },
  });

  const total = entries.data?.total ?? 0;
  const chartData = charts.data;
  const empty = unfiltered && total === 0 && !entries.isFetching;

  return (
    <div className="space-y-4">
      {empty ? (
        <div className="rounded-lg border border-dashed border-zinc-300 bg-white p-5 text-sm text-zinc-600">
          <p className="font-medium text-zinc-800">No metadata yet.</p>
          <p className="mt-1 max-w-3xl">
            Each entry is a <strong>use case</strong> (the task, e.g. &ldquo;question answering&rdquo;) and
            the <strong>skills</strong> answering it needs (e.g. &ldquo;algorithms, communication&rdquo;);
            instructions are written from them.{" "}
            {seedCount > 0 ? (
              <>
                A run encodes your {countOf(seedCount, "seed")} into entries and mixes them up to the pool
                size. You can also write entries by hand.
              </>
            ) : (
              <>
                Without seeds, write entries by hand with the form: a run then works from the entries you
                write (the paper&apos;s seedless scenario). Or{" "}
                <Link href={`/projects/${projectId}`} className="text-indigo-700 hover:underline">
                  import seeds
                </Link>{" "}
                to have them encoded.
              </>
            )}
          </p>
        </div>
      ) : (
        <>
          <p className="text-sm text-zinc-600" data-testid="metadata-summary">
            {chartData
              ? `${chartData.total.toLocaleString("en-US")} entr${chartData.total === 1 ? "y" : "ies"}${origin ? ` ${originLabels[origin]}` : ""}`
              : null}
            {chartData && !origin
              ? ` · ${(Object.keys(originLabels) as MetadataOriginName[])
                  .map((key) => `${chartData.byOrigin[key].toLocaleString("en-US")} ${originLabels[key]}`)
                  .join(" · ")}`
              : null}
          </p>
          {chartData ? (
            <MetadataChartCards
              charts={chartData}
              selectedUseCase={useCase}
              selectedSkill={skill}
              onUseCase={(label) => filter(() => setUseCase(label))}
              onSkill={(label) => filter(() => setSkill(label))}
            />
          ) : null}
        </>
      )}

      <div className="grid gap-6 xl:grid-cols-[1fr_22rem]">
        <section aria-labelledby="metadata-heading" className="min-w-0 space-y-3">
          <div className="flex flex-wrap items-center gap-2">
            <h2 id="metadata-heading" className="font-semibold">
              Entries <span className="font-normal text-zinc-500">{total.toLocaleString("en-US")}</span>
            </h2>
            <Input
              type="search"
              aria-label="Search use cases and skills"
              placeholder="Search use cases and skills"
              value={search}
              onChange={(event) => filter(() => setSearch(event.target.value))}
              className="max-w-60"
            />
            <Select
              aria-label="Origin"
              value={origin}
              onChange={(event) => filter(() => setOrigin(event.target.value as MetadataOriginName | ""))}
              className="max-w-44"
            >
              <option value="">Any origin</option>
              {(Object.keys(originLabels) as MetadataOriginName[]).map((key) => (
                <option key={key} value={key}>
                  {originLabels[key]}
                </option>
              ))}
            </Select>
            {useCase ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => filter(() => setUseCase(""))}
                aria-label="Clear use case filter"
              >
                use case: {useCase} ×
              </Button>
            ) : null}
            {skill ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => filter(() => setSkill(""))}
                aria-label="Clear skill filter"
              >
                skill: {skill} ×
              </Button>
            ) : null}
            <div className="ml-auto flex items-center gap-2">
              {selected.size > 0 ? (
                <span className="text-xs text-zinc-600">{selected.size} selected</span>
              ) : null}
              <Button
                size="sm"
                variant="danger"
                disabled={selected.size === 0}
                onClick={() => setConfirmingDelete(true)}
              >
                Delete selected
              </Button>
            </div>
          </div>
          {entries.error ? (
            <p role="alert" className="text-sm text-red-600">
              {entries.error.message}
            </p>
          ) : null}
          {notice ? (
            <p role="status" className="text-sm text-emerald-700">
              {notice}
            </p>
          ) : null}
          <MetadataTable
            rows={entries.data?.rows ?? []}
            filtered={!unfiltered}
            selected={selected}
            onSelectedChange={setSelected}
            onEdit={(row) => {
              setNotice(null);
              setEditing(row);
            }}
          />
          <Pagination page={page} pageSize={pageSize} total={total} onPage={setPage} />
        </section>

        <aside className="h-fit rounded-lg border border-zinc-200 bg-white p-4">
          <EntryForm
            key={editing?.id ?? "new"}
            projectId={projectId}
            maxSkills={maxSkills}
            editing={editing}
            onSaved={(message) => {
              setEditing(null);
              setNotice(message);
              refresh();
            }}
            onCancel={() => setEditing(null)}
          />
        </aside>
      </div>

      <ConfirmDialog
        open={confirmingDelete}
        title={`Delete ${selected.size} entr${selected.size === 1 ? "y" : "ies"}?`}
        confirmLabel="Delete entries"
        pending={remove.isPending}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() => remove.mutate()}
      >
        They and their rubric sets are removed from the pool. Entries that instructions were already generated
        from are kept. This cannot be undone.
        {remove.error ? <p className="mt-2 text-red-600">{remove.error.message}</p> : null}
      </ConfirmDialog>
    </div>
  );
}
