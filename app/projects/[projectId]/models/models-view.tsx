"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { EndpointRoleName } from "@/lib/schemas/endpoint";
import { removeEndpointAction } from "./endpoint-actions";
import { EndpointForm } from "./endpoint-form";
import type { EndpointView } from "./endpoint-view";

const roles: { role: EndpointRoleName; title: string; description: string }[] = [
  {
    role: "strong",
    title: "Strong model",
    description:
      "Encodes the seeds, writes instructions, rubrics and rewrites, answers them (the answers you keep) and judges unless a judge is set.",
  },
  {
    role: "target",
    title: "Target model",
    description:
      "The model you will fine-tune, or an instruction-tuned sibling of it: its answers are contrasted with the strong model's to keep what it finds hard.",
  },
  {
    role: "judge",
    title: "Judge (optional)",
    description: "Scores both answers in both orders. Without one the strong model judges, as in the paper.",
  },
];

export function ModelsView({
  projectId,
  initialEndpoints,
}: {
  projectId: number;
  initialEndpoints: EndpointView[];
}) {
  const queryClient = useQueryClient();
  const queryKey = queryKeys.endpoints(projectId);
  const endpoints = useQuery<EndpointView[]>({
    queryKey,
    queryFn: ({ signal }) => fetchJson<EndpointView[]>(`/api/projects/${projectId}/endpoints`, { signal }),
    initialData: initialEndpoints,
  });
  const [addingJudge, setAddingJudge] = useState(false);
  const [confirmingRemove, setConfirmingRemove] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey });

  const remove = useMutation({
    mutationFn: async () => {
      const result = await removeEndpointAction({ projectId, role: "judge" });
      if (!result.ok) throw new Error(result.error);
    },
    onSuccess: () => {
      setConfirmingRemove(false);
      setAddingJudge(false);
      refresh();
    },
  });

  const byRole = new Map(endpoints.data.map((endpoint) => [endpoint.role, endpoint]));
  const strong = byRole.get("strong") ?? null;

  return (
    <div className="space-y-4">
      {endpoints.error ? (
        <p role="alert" className="text-sm text-red-600">
          {endpoints.error.message}
        </p>
      ) : null}
      {roles.map(({ role, title, description }) => {
        const saved = byRole.get(role) ?? null;
        const showForm = role !== "judge" || saved !== null || addingJudge;
        return (
          <section
            key={role}
            aria-labelledby={`${role}-heading`}
            className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
          >
            <div>
              <h2 id={`${role}-heading`} className="font-semibold">
                {title}{" "}
                {saved ? (
                  <span className="font-normal text-zinc-500">· {saved.values.model}</span>
                ) : role !== "judge" ? (
                  <span className="text-xs font-normal text-amber-700">· not set: needed to start a run</span>
                ) : null}
              </h2>
              <p className="text-sm text-zinc-600">{description}</p>
            </div>
            {showForm ? (
              <EndpointForm
                // A save remounts the form with the stored (normalised) values.
                key={saved?.updatedAt ?? "new"}
                projectId={projectId}
                role={role}
                saved={saved}
                strongValues={strong?.values ?? null}
                onSaved={refresh}
                onRemove={
                  role === "judge"
                    ? () => (saved ? setConfirmingRemove(true) : setAddingJudge(false))
                    : undefined
                }
              />
            ) : (
              <Button size="sm" onClick={() => setAddingJudge(true)}>
                Add a judge endpoint
              </Button>
            )}
          </section>
        );
      })}
      <ConfirmDialog
        open={confirmingRemove}
        title="Remove the judge endpoint?"
        confirmLabel="Remove judge"
        pending={remove.isPending}
        onCancel={() => setConfirmingRemove(false)}
        onConfirm={() => remove.mutate()}
      >
        Its settings are deleted and later runs are judged by the strong model. Runs already started keep the
        settings they started with.
        {remove.error ? <p className="mt-2 text-red-600">{remove.error.message}</p> : null}
      </ConfirmDialog>
    </div>
  );
}
