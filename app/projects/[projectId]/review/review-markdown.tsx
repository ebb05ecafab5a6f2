"use client";

import ReactMarkdown from "react-markdown";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";

// Model output is untrusted: raw HTML is never rendered (no rehype-raw) and rehype-sanitize strips anything left
// that could run script or load from elsewhere (javascript: links, event attributes).
const styles =
  "min-w-0 break-words text-sm leading-relaxed text-zinc-800 [&_a]:text-indigo-700 [&_a]:underline " +
  "[&_blockquote]:border-l-2 [&_blockquote]:border-zinc-300 [&_blockquote]:pl-3 [&_blockquote]:text-zinc-600 " +
  "[&_code]:rounded [&_code]:bg-zinc-100 [&_code]:px-1 [&_code]:text-[0.8125rem] [&_h1]:mt-3 [&_h1]:font-semibold " +
  "[&_h2]:mt-3 [&_h2]:font-semibold [&_h3]:mt-2 [&_h3]:font-medium [&_li]:my-0.5 [&_ol]:my-2 [&_ol]:list-decimal " +
  "[&_ol]:pl-5 [&_p]:my-2 [&_pre]:my-2 [&_pre]:overflow-x-auto [&_pre]:rounded-md [&_pre]:bg-zinc-900 [&_pre]:p-3 " +
  "[&_pre]:text-zinc-100 [&_pre_code]:bg-transparent [&_pre_code]:p-0 [&_table]:my-2 [&_table]:text-xs " +
  "[&_td]:border [&_td]:border-zinc-200 [&_td]:px-2 [&_td]:py-1 [&_th]:border [&_th]:border-zinc-200 [&_th]:px-2 " +
  "[&_th]:py-1 [&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-5";

export function Markdown({ text, className = "" }: { text: string; className?: string }) {
  return (
    <div className={`${styles} ${className}`}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
