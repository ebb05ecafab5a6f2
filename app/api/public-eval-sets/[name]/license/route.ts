import { readPublicSetLicense } from "@/lib/evaluation/public-sets";
import { errorResponse } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** The full licence text of a public evaluation set, shown next to it on the Evaluate page. */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  try {
    return new Response(readPublicSetLicense((await params).name), {
      headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
