import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "CodecLM Studio", template: "%s · CodecLM Studio" },
  description: "Tailored instruction-tuning data from a handful of seeds (CodecLM)",
  icons: { icon: "/icon.svg" },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <header className="border-b border-zinc-200 bg-white">
            <div className="mx-auto flex h-12 max-w-7xl items-center gap-6 px-4">
              <Link href="/" className="font-semibold tracking-tight text-zinc-900">
                CodecLM <span className="text-indigo-600">Studio</span>
              </Link>
              <nav className="flex gap-4 text-sm text-zinc-600">
                <Link href="/" className="hover:text-zinc-900">
                  Projects
                </Link>
              </nav>
            </div>
          </header>
          <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
