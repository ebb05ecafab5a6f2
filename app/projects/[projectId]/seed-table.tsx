"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Input } from "@/components/ui/field";
import { Pagination } from "@/components/ui/pagination";
import { deleteSeedsAction } from "./seed-actions";
import { useDebounced } from "@/components/use-debounced";

interface SeedRow {
  id: number;
  instruction: string;
  input: string;
}
interface SeedPage {
  rows: SeedRow[];
  total: number;
}

const pageSize = 50;

export function SeedTable({ projectId, initialPage }: { projectId: number; initialPage: SeedPage }) {
  const queryClient = useQueryClient();
  const searchInput = useRef<HTMLInputElement>(null);
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState("");
  const debouncedSearch = useDebounced(search.trim(), 250);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirming, setConfirming] = useState(false);

  const seeds = useQuery<SeedPage>({
    queryKey: queryKeys.seedPage(projectId, page, debouncedSearch),
    queryFn: ({ signal }) =>
      fetchJson<SeedPage>(`/api/projects/${projectId}/seeds`, {
        params: { page, pageSize, search: debouncedSearch },
        signal,
      }),
    initialData: page === 1 && debouncedSearch === "" ? initialPage : undefined,
    placeholderData: keepPreviousData,
  });

  const remove = useMutation({
    mutationFn: async () => {
      const result = await deleteSeedsAction({ projectId, ids: [...selected] });
      if (!result.ok) throw new Error(result.error);
      return result.data;
    },
    onSuccess: () => {
      setSelected(new Set());
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: queryKeys.seeds(projectId) });
    },
  });

  // "/" jumps to search, as in most data tools.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
        event.preventDefault();
        searchInput.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const rows = seeds.data?.rows ?? [];
  const total = seeds.data?.total ?? 0;
  const allOnPageSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));

  return (
    <section aria-labelledby="seeds-heading" className="min-w-0 space-y-3">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="seeds-heading" className="font-semibold">
          Seeds{" "}
          <span className="font-normal text-zinc-500" data-testid="seed-total">
            {total.toLocaleString("en-US")}
          </span>
        </h2>
        <Input
          ref={searchInput}
          type="search"
          aria-label="Search seeds"
          placeholder="Search instructions and inputs  ( / )"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setPage(1);
          }}
          className="max-w-xs"
        />
        <div className="ml-auto flex items-center gap-2">
          {selected.size > 0 ? <span className="text-xs text-zinc-600">{selected.size} selected</span> : null}
          <Button
            size="sm"
            variant="danger"
            disabled={selected.size === 0}
            onClick={() => setConfirming(true)}
          >
            Delete selected
          </Button>
        </div>
      </div>
      {seeds.error ? (
        <p role="alert" className="text-sm text-red-600">
          {seeds.error.message}
        </p>
      ) : null}
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white">
        <table className="w-full table-fixed text-sm">
          <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
            <tr>
              <th className="w-9 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select all seeds on this page"
                  checked={allOnPageSelected}
                  onChange={() =>
                    setSelected((current) => {
                      const next = new Set(current);
                      for (const row of rows) {
                        if (allOnPageSelected) next.delete(row.id);
                        else next.add(row.id);
                      }
                      return next;
                    })
                  }
                />
              </th>
              <th className="w-16 px-2 py-2 font-medium">#</th>
              <th className="px-2 py-2 font-medium">Instruction</th>
              <th className="w-1/3 px-2 py-2 font-medium">Input</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-3 py-8 text-center text-sm text-zinc-500">
                  {debouncedSearch
                    ? "No seed matches this search."
                    : "No seeds yet: import a file or paste instructions."}
                </td>
              </tr>
            ) : (
              rows.map((row, index) => (
                <tr key={row.id} className="align-top hover:bg-zinc-50">
                  <td className="px-3 py-1.5">
                    <input
                      type="checkbox"
                      aria-label={`Select seed ${(page - 1) * pageSize + index + 1}`}
                      checked={selected.has(row.id)}
                      onChange={() =>
                        setSelected((current) => {
                          const next = new Set(current);
                          if (next.has(row.id)) next.delete(row.id);
                          else next.add(row.id);
                          return next;
                        })
                      }
                    />
                  </td>
                  <td className="px-2 py-1.5 text-xs tabular-nums text-zinc-500">
                    {/* Row number in import order (ids have gaps after deletions and across projects). */}
                    {((page - 1) * pageSize + index + 1).toLocaleString("en-US")}
                  </td>
                  <td className="px-2 py-1.5">
                    <div className="line-clamp-3 whitespace-pre-wrap break-words" title={row.instruction}>
                      {row.instruction}
                    </div>
                  </td>
                  <td className="px-2 py-1.5 text-zinc-600">
                    <div className="line-clamp-3 whitespace-pre-wrap break-words" title={row.input}>
                      {row.input}
                    </div>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pageSize={pageSize} total={total} onPage={setPage} />
      <ConfirmDialog
        open={confirming}
        title={`Delete ${selected.size} seed${selected.size === 1 ? "" : "s"}?`}
        confirmLabel="Delete seeds"
        pending={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
      >
        They are removed from this project. Metadata already encoded from them stays. This cannot be undone.
        {remove.error ? <p className="mt-2 text-red-600">{remove.error.message}</p> : null}
      </ConfirmDialog>
    </section>
  );
}
