"""Tools for Chat completions."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ...runtime.serve.server import invoke


async def create_a_gumloop_chat_completion(
    ctx: Context,
    model: str,
    messages: list[dict[str, Any]],
    stream: bool | None = None,
    temperature: float | None = None,
    max_completion_tokens: int | None = None,
    modalities: list[Literal["text", "image"]] | None = None,
    image_config: dict[str, Any] | None = None,
    response_format: dict[str, Any] | None = None,
    tools: list[Any] | None = None,
    tool_choice: Any = None,
    provider: dict[str, Any] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Create chat completion

    POST /chat/completions

    OpenAI-compatible chat completions endpoint, multiplexed across every model Gumloop supports
    (Anthropic, OpenAI, Google Gemini, OpenRouter routes). Set `stream: true` for Server-Sent Events,
    or omit it for a unary JSON response. Image-generation models (`gpt-image-*`, `gemini-*-image-
    preview`,
    `dall-e-*`) are dispatched automatically when `modalities` includes `"image"` and yield image
    attachments on `choices[0].message.images`.

    ### Streaming host

    Chat completions live on the streaming host. Send all requests — unary or streaming — to:

    ```
    POST https://ws.gumloop.com/api/v1/chat/completions
    ```

    `api.gumloop.com` does not serve this endpoint; the Python SDK routes there automatically.

    ### Billing

    Each completion charges the caller's credit balance based on token usage (with cache-token semantics
    per provider) plus a flat 30-credit fee for image-gen calls. Users who configure their own provider
    API key get a 50% discount.

    Args:
        model: Model slug. Use the `id` from `GET /models` or one of Gumloop's preset routes.
        messages: Conversation history. Roles `system`, `user`, `assistant`. Multipart `content` (text +
            image) is supported on the user role.
        stream: When `true`, the response is `text/event-stream` carrying one `chat.completion.chunk` per
            delta and terminating with `data: [DONE]`. Otherwise a unary JSON `chat.completion` is returned.
        temperature: Sampling temperature.
        max_completion_tokens: Cap on completion tokens. Replaces the deprecated `max_tokens` field.
        modalities: Output modalities. Include `"image"` to route to an image-generation model.
        image_config: Image-generation parameters (size, quality, aspect_ratio, background, output_format,
            partial_images). Optional. Image-generation models accept either `modalities: ["image"]` or
            `image_config` (or both); chat models ignore this field.
        response_format: Constrain the response. `{type: "json_object"}` returns a JSON object; `{type:
            "json_schema", json_schema: {name, strict, schema}}` returns JSON matching the supplied schema.
        tools: OpenAI-shape tool definitions (`{type: "function", function: {name, description,
            parameters}}`). Pass `tool_choice` to constrain selection.
        tool_choice: Force a specific tool, leave unset for the model to choose, or pass `"none"` to disable
            tool calls.
        provider: OpenRouter provider routing config. Caller fields like `sort` and `order` are honored;
            ZDR/data_collection policy is server-enforced.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_chat_completion",
        {
            "model": model,
            "messages": messages,
            "stream": stream,
            "temperature": temperature,
            "max_completion_tokens": max_completion_tokens,
            "modalities": modalities,
            "image_config": image_config,
            "response_format": response_format,
            "tools": tools,
            "tool_choice": tool_choice,
            "provider": provider,
            "select": select,
        },
    )
