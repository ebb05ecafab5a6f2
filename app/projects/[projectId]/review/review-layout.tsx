"use client";

// The review screen's layout preferences, remembered in this browser: the list/detail split (dragged or moved
// with the arrow keys on the divider) and the reading mode (the list beside the detail, or one instruction at a
// time across the full width, like Argilla's focus view).
import { useRef, useSyncExternalStore, type ReactNode } from "react";

const splitKey = "codeclm.review.split";
const modeKey = "codeclm.review.mode";
const changeEvent = "codeclm-review-layout";
const defaultSplit = 0.5;
const minSplit = 0.3;
const maxSplit = 0.75;

export type ReviewMode = "split" | "focus";

function subscribe(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(changeEvent, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(changeEvent, onChange);
  };
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage full or disabled: the layout still changes for this page view
  }
  window.dispatchEvent(new Event(changeEvent));
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

const clampSplit = (value: number) => Math.min(maxSplit, Math.max(minSplit, value));

export function useReviewMode(): [ReviewMode, (mode: ReviewMode) => void] {
  const mode = useSyncExternalStore(
    subscribe,
    () => (read(modeKey) === "focus" ? "focus" : "split"),
    () => "split" as const,
  );
  return [mode, (next) => write(modeKey, next)];
}

export function ResizableSplit({ first, second }: { first: ReactNode; second: ReactNode }) {
  const container = useRef<HTMLDivElement>(null);
  const split = useSyncExternalStore(
    subscribe,
    () => {
      const saved = Number(read(splitKey));
      return Number.isFinite(saved) && saved > 0 ? clampSplit(saved) : defaultSplit;
    },
    () => defaultSplit,
  );
  const setSplit = (value: number) => write(splitKey, clampSplit(value).toFixed(3));
  const percent = Math.round(split * 100);
  return (
    <div
      ref={container}
      className="grid items-start gap-4 xl:grid-cols-[minmax(0,var(--review-split))_0.75rem_minmax(0,1fr)] xl:gap-0"
      style={{ ["--review-split" as string]: `${percent}%` }}
    >
      {first}
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Width of the instruction list (arrow keys change it)"
        aria-valuemin={minSplit * 100}
        aria-valuemax={maxSplit * 100}
        aria-valuenow={percent}
        tabIndex={0}
        data-testid="review-split"
        className="group hidden min-h-40 cursor-col-resize self-stretch justify-center rounded focus-visible:outline-2 focus-visible:outline-indigo-600 xl:flex"
        onKeyDown={(event) => {
          if (event.key === "ArrowLeft") setSplit(split - 0.05);
          else if (event.key === "ArrowRight") setSplit(split + 0.05);
          else if (event.key === "Home") setSplit(minSplit);
          else if (event.key === "End") setSplit(maxSplit);
          else return;
          event.preventDefault();
          event.stopPropagation();
        }}
        onPointerDown={(event) => event.currentTarget.setPointerCapture(event.pointerId)}
        onPointerMove={(event) => {
          const box = container.current?.getBoundingClientRect();
          if (!box || !event.currentTarget.hasPointerCapture(event.pointerId)) return;
          setSplit((event.clientX - box.left) / box.width);
        }}
        onDoubleClick={() => setSplit(defaultSplit)}
      >
        <span className="w-0.5 rounded bg-zinc-200 group-hover:bg-indigo-400" />
      </div>
      {second}
    </div>
  );
}
