package dev.alfred.llm;

/**
 * A tool the provider ran itself during the answer (Anthropic's server tools: {@code web_search},
 * {@code web_fetch}, {@code code_execution}), with its input and, once the server has it, its result.
 * Nothing for the caller to run: it is reported so that a user sees what happened (searches, fetched
 * pages) and it is replayed as it came on the next turn (through the answer's provider state). The
 * input and result stay as raw JSON. Immutable.
 *
 * @param id         the provider's id of the call, such as {@code srvtoolu_…}
 * @param name       the tool's name, such as {@code web_search}
 * @param input      the call's input as JSON, {@code {}} when it had none
 * @param resultType the result block's type, such as {@code web_search_tool_result}, or null while the server
 *                   has not answered it (it runs when the caller's own tool results come back)
 * @param result     the result block's {@code content} as JSON (results, or an error object in a 200
 *                   answer, as the server sends it), or null with no result
 */
public record ServerToolUse(String id, String name, String input, String resultType, String result) {

    /**
     * Validates the use.
     *
     * @param id         the id
     * @param name       the name
     * @param input      the input JSON
     * @param resultType the result's type, or null
     * @param result     the result JSON, or null
     * @throws IllegalArgumentException naming what is blank, or a result without a type
     */
    public ServerToolUse {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("server tool id must not be blank");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("server tool name must not be blank");
        }
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("server tool input must not be blank (use {})");
        }
        if ((resultType == null) != (result == null)) {
            throw new IllegalArgumentException("a server tool result needs both its type and its content");
        }
    }

    /**
     * This use with its result, once the server has sent it.
     *
     * @param type    the result block's type
     * @param content its content as JSON
     * @return the use
     */
    public ServerToolUse withResult(String type, String content) {
        return new ServerToolUse(id, name, input, type, content);
    }

    /**
     * Whether the server has answered the call.
     *
     * @return true with a result
     */
    public boolean hasResult() {
        return resultType != null;
    }
}
