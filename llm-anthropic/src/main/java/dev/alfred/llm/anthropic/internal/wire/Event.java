package dev.alfred.llm.anthropic.internal.wire;

/**
 * What one streamed event of the Messages API carries (anthropic-api.md §3), or the top level of a
 * whole message; a stream's decoder reuses one, so it is valid only until the next decode. Strings
 * are null and numbers -1 when absent. Fields the port does not model are kept as raw JSON under
 * their names ({@code stop_details}, {@code container}, {@code usage.server_tool_use}, a delta's
 * unknown fields).
 */
public final class Event {
    String type;
    long index = -1;
    boolean hasBlock;
    final EventDecoder.Block block = new EventDecoder.Block();
    String deltaType;
    String deltaValue;
    boolean deltaNotString;
    String stopReason;
    String messageId;
    String messageType;
    String model;
    final UsageFields usage = new UsageFields();
    boolean hasUsage;
    String errorType;
    String errorMessage;
    String errorDetails;
    String requestId;
    private RawFields extras;

    void clear() {
        type = null;
        index = -1;
        if (hasBlock) {
            block.clear();
            hasBlock = false;
        }
        deltaType = null;
        deltaValue = null;
        deltaNotString = false;
        stopReason = null;
        messageId = null;
        messageType = null;
        model = null;
        usage.clear();
        hasUsage = false;
        errorType = null;
        errorMessage = null;
        errorDetails = null;
        requestId = null;
        if (extras != null) {
            extras.clear();
        }
    }

    RawFields extras() {
        if (extras == null) {
            extras = new RawFields();
        }
        return extras;
    }

    /** @return how many fields the event carried that the port does not model */
    public int extraCount() {
        return extras == null ? 0 : extras.size();
    }

    /**
     * A field the port does not model, as raw JSON.
     *
     * @param name its name, such as {@code stop_details} or {@code usage.service_tier}
     * @return its text, or null when absent
     */
    public String extra(String name) {
        return extras == null ? null : extras.get(name);
    }

    /** @return the JSON {@code type}: {@code message_start}, {@code content_block_delta}, … */
    public String type() {
        return type;
    }

    /** @return the block index of a {@code content_block_*} event, or -1 */
    public long index() {
        return index;
    }

    /** @return the block a {@code content_block_start} opens, or null */
    public EventDecoder.Block block() {
        return hasBlock ? block : null;
    }

    /** @return a delta's type: {@code text_delta}, {@code input_json_delta}, {@code citations_delta}, … */
    public String deltaType() {
        return deltaType;
    }

    /** @return a delta's text, partial JSON, thinking or signature, or a citation's JSON */
    public String deltaValue() {
        return deltaValue;
    }

    /** @return whether the delta's value was not a JSON string (then {@link #deltaValue()} is its JSON) */
    public boolean deltaNotString() {
        return deltaNotString;
    }

    /** @return the stop reason of {@code message_delta} or of a whole message */
    public String stopReason() {
        return stopReason;
    }

    /** @return the message id */
    public String messageId() {
        return messageId;
    }

    /** @return the model */
    public String model() {
        return model;
    }

    /** @return the usage counts the event carried; see {@link #hasUsage()} */
    public UsageFields usage() {
        return usage;
    }

    /** @return whether the event carried usage */
    public boolean hasUsage() {
        return hasUsage;
    }

    /** @return an {@code error} event's type */
    public String errorType() {
        return errorType;
    }

    /** @return an {@code error} event's message */
    public String errorMessage() {
        return errorMessage;
    }

    /** @return an {@code error} event's {@code details} as JSON, or null when absent or null */
    public String errorDetails() {
        return errorDetails;
    }

    /** @return an {@code error} event's request id */
    public String requestId() {
        return requestId;
    }
}
