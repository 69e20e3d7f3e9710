package dev.alfred.llm.anthropic.internal.wire;

/**
 * What one streamed event of the Messages API carries (anthropic-api.md §3), reduced to what the port
 * needs; a decoder reuses one per stream, so it is valid only until the next decode. Strings are null
 * and numbers -1 when absent.
 */
public final class Event {
    String type;
    long index = -1;
    String blockType;
    String blockId;
    String blockName;
    String blockText;
    String blockSignature;
    String blockData;
    String deltaType;
    String deltaValue;
    String stopReason;
    String messageId;
    String model;
    final UsageFields usage = new UsageFields();
    boolean hasUsage;
    String errorType;
    String errorMessage;
    String requestId;

    void clear() {
        type = null;
        index = -1;
        blockType = null;
        blockId = null;
        blockName = null;
        blockText = null;
        blockSignature = null;
        blockData = null;
        deltaType = null;
        deltaValue = null;
        stopReason = null;
        messageId = null;
        model = null;
        usage.clear();
        hasUsage = false;
        errorType = null;
        errorMessage = null;
        requestId = null;
    }

    /** @return the JSON {@code type}: {@code message_start}, {@code content_block_delta}, … */
    public String type() {
        return type;
    }

    /** @return the block index of a {@code content_block_*} event, or -1 */
    public long index() {
        return index;
    }

    /** @return the type of the block a {@code content_block_start} opens */
    public String blockType() {
        return blockType;
    }

    /** @return a tool_use block's id */
    public String blockId() {
        return blockId;
    }

    /** @return a tool_use block's name */
    public String blockName() {
        return blockName;
    }

    /** @return the text or thinking a block starts with */
    public String blockText() {
        return blockText;
    }

    /** @return the signature a thinking block starts with */
    public String blockSignature() {
        return blockSignature;
    }

    /** @return a redacted_thinking block's data */
    public String blockData() {
        return blockData;
    }

    /** @return a delta's type: {@code text_delta}, {@code input_json_delta}, … */
    public String deltaType() {
        return deltaType;
    }

    /** @return a delta's text, partial JSON, thinking or signature */
    public String deltaValue() {
        return deltaValue;
    }

    /** @return {@code message_delta}'s stop reason */
    public String stopReason() {
        return stopReason;
    }

    /** @return {@code message_start}'s message id */
    public String messageId() {
        return messageId;
    }

    /** @return {@code message_start}'s model */
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

    /** @return an {@code error} event's request id */
    public String requestId() {
        return requestId;
    }
}
