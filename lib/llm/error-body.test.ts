import { describe, expect, it } from "vitest";
import { parseServerError } from "@/lib/llm/error-body";

describe("parseServerError reads every documented body shape", () => {
  it("OpenAI and Azure: message, param and code", () => {
    const body = {
      error: {
        message:
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        type: "invalid_request_error",
        param: "max_tokens",
        code: "unsupported_parameter",
      },
    };
    expect(parseServerError(body)).toEqual({
      message: body.error.message,
      param: "max_tokens",
      code: "unsupported_parameter",
      type: "invalid_request_error",
    });
  });

  it("vLLM 0.8.x and LiteLLM's flat body", () => {
    expect(
      parseServerError({
        object: "error",
        message: "The provided JSON schema contains features not supported by xgrammar.",
        type: "BadRequestError",
        param: null,
        code: 400,
      }),
    ).toEqual({
      message: "The provided JSON schema contains features not supported by xgrammar.",
      param: null,
      code: "400",
      type: "BadRequestError",
    });
  });

  it("Ollama's string error, llama.cpp's numeric code, plain text", () => {
    expect(parseServerError({ error: 'model "llama3" not found, try pulling it first' })?.message).toBe(
      'model "llama3" not found, try pulling it first',
    );
    expect(
      parseServerError({ error: { code: 503, message: "Loading model", type: "unavailable_error" } }),
    ).toMatchObject({ message: "Loading model", code: "503", type: "unavailable_error" });
    expect(parseServerError("Bad Gateway")?.message).toBe("Bad Gateway");
    expect(parseServerError({})).toBeNull();
  });

  it("OpenRouter: adds the upstream provider's own message from metadata.raw", () => {
    const parsed = parseServerError({
      error: {
        code: 400,
        message: "Provider returned error",
        metadata: {
          provider_name: "Anthropic",
          raw: JSON.stringify({ type: "error", error: { message: "temperature: range: 0..1" } }),
        },
      },
    });
    expect(parsed?.message).toBe("Provider returned error: Anthropic: temperature: range: 0..1");
  });
});
