"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input, Textarea } from "@/components/ui/field";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { unwrapAction as unwrap } from "@/lib/errors";
import { countOf } from "@/components/count-of";
import { createProjectAction, deleteProjectAction, renameProjectAction } from "./actions";

interface ProjectRow {
  id: number;
  name: string;
  taskDescription: string;
  updatedAt: string;
  seedCount: number;
  runCount: number;
}

export function ProjectList({ initialProjects }: { initialProjects: ProjectRow[] }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const projects = useQuery<ProjectRow[]>({
    queryKey: queryKeys.projects(),
    queryFn: ({ signal }) => fetchJson<ProjectRow[]>("/api/projects", { signal }),
    initialData: initialProjects,
  });
  const [name, setName] = useState("");
  const [taskDescription, setTaskDescription] = useState("");
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const [deleting, setDeleting] = useState<ProjectRow | null>(null);

  const create = useMutation({
    mutationFn: () => unwrap(createProjectAction({ name, taskDescription })),
    onSuccess: ({ id }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.projects() });
      router.push(`/projects/${id}`);
    },
  });
  const rename = useMutation({
    mutationFn: (input: { projectId: number; name: string }) => unwrap(renameProjectAction(input)),
    onSuccess: () => {
      setRenaming(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.projects() });
    },
  });
  const remove = useMutation({
    mutationFn: (projectId: number) => unwrap(deleteProjectAction({ projectId })),
    onSuccess: () => {
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.projects() });
    },
  });

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <section aria-labelledby="projects-heading" className="space-y-3">
        <h1 id="projects-heading" className="text-lg font-semibold">
          Projects
        </h1>
        {projects.data.length === 0 ? (
          <p className="rounded-lg border border-dashed border-zinc-300 bg-white p-6 text-sm text-zinc-500">
            No projects yet. Create one to import seed instructions and generate a tailored dataset.
          </p>
        ) : (
          <table className="w-full overflow-hidden rounded-lg border border-zinc-200 bg-white text-sm">
            <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
              <tr>
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Task</th>
                <th className="px-3 py-2 text-right font-medium">Seeds</th>
                <th className="px-3 py-2 text-right font-medium">Runs</th>
                <th className="px-3 py-2 font-medium">Updated</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {projects.data.map((project) => (
                <tr key={project.id} className="hover:bg-zinc-50">
                  <td className="px-3 py-2 font-medium">
                    {renaming?.id === project.id ? (
                      <form
                        className="flex gap-1"
                        onSubmit={(event) => {
                          event.preventDefault();
                          rename.mutate({ projectId: project.id, name: renaming.name });
                        }}
                      >
                        <Input
                          aria-label="New project name"
                          value={renaming.name}
                          autoFocus
                          onChange={(event) => setRenaming({ id: project.id, name: event.target.value })}
                          onKeyDown={(event) => event.key === "Escape" && setRenaming(null)}
                        />
                        <Button type="submit" size="sm" variant="primary" disabled={rename.isPending}>
                          Save
                        </Button>
                      </form>
                    ) : (
                      <Link href={`/projects/${project.id}`} className="text-indigo-700 hover:underline">
                        {project.name}
                      </Link>
                    )}
                    {renaming?.id === project.id && rename.error ? (
                      <p role="alert" className="mt-1 text-xs text-red-600">
                        {rename.error.message}
                      </p>
                    ) : null}
                  </td>
                  <td className="max-w-72 truncate px-3 py-2 text-zinc-600" title={project.taskDescription}>
                    {project.taskDescription || <span className="text-zinc-400">—</span>}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {project.seedCount.toLocaleString("en-US")}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {project.runCount.toLocaleString("en-US")}
                  </td>
                  <td className="px-3 py-2 text-zinc-500">{new Date(project.updatedAt).toLocaleString()}</td>
                  <td className="whitespace-nowrap px-3 py-2 text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setRenaming({ id: project.id, name: project.name })}
                    >
                      Rename
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setDeleting(project)}
                      aria-label={`Delete ${project.name}`}
                    >
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section
        aria-labelledby="create-heading"
        className="h-fit space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
      >
        <h2 id="create-heading" className="font-semibold">
          New project
        </h2>
        <form
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Field label="Name" htmlFor="project-name" error={create.error?.message}>
            <Input
              id="project-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              placeholder="e.g. Customer-support assistant"
              aria-invalid={create.isError}
              required
            />
          </Field>
          <Field
            label="Downstream task"
            htmlFor="project-task"
            hint="What the target model should become good at. Used as context when writing instructions."
          >
            <Textarea
              id="project-task"
              rows={3}
              value={taskDescription}
              onChange={(event) => setTaskDescription(event.target.value)}
            />
          </Field>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create project"}
          </Button>
        </form>
      </section>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete “${deleting?.name ?? ""}”?`}
        confirmLabel="Delete project"
        pending={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      >
        This deletes its {countOf(deleting?.seedCount ?? 0, "seed")}, its runs, generated instructions,
        reviews and exports. It cannot be undone.
        {remove.error ? <p className="mt-2 text-red-600">{remove.error.message}</p> : null}
      </ConfirmDialog>
    </div>
  );
}
