package dev.alfred.llm.anthropic.internal.wire;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.exc.InputCoercionException;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the Messages API's JSON, a streamed event's data or a whole message, with jackson-core's
 * streaming parser: one pass, no tree, padding whitespace ignored. What the port models is read into
 * fields; every other field that is not null is kept as raw JSON text ({@link RawFields}), under its
 * name in the message ({@code container}, {@code stop_details}, {@code usage.service_tier}) or in its
 * content block ({@code caller}, {@code citations}, a server tool's {@code content}), so that the
 * folding can keep it instead of dropping it. Nothing is allocated for a field that is not there.
 * Thread-safe; {@link #streaming()} gives the per-stream decoder, which is not.
 */
public final class EventDecoder {

    /**
     * A content block as it starts: {@code content_block_start}'s block, or a whole message's block.
     * Scalars the port reads are fields; {@code input} is kept as its JSON text whatever its shape; every
     * other field that is not null is in {@link #extras()}.
     */
    public static final class Block {
        String type;
        String text;
        String thinking;
        String signature;
        String data;
        String id;
        String name;
        String toolUseId;
        String input;
        RawFields extras;

        Block() {
        }

        void clear() {
            type = null;
            text = null;
            thinking = null;
            signature = null;
            data = null;
            id = null;
            name = null;
            toolUseId = null;
            input = null;
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

        /** @return the block's type, or null when it had none */
        public String type() {
            return type;
        }

        /** @return a text block's text, or null */
        public String text() {
            return text;
        }

        /** @return a thinking block's thinking, or null */
        public String thinking() {
            return thinking;
        }

        /** @return a thinking block's signature, or null */
        public String signature() {
            return signature;
        }

        /** @return a redacted_thinking block's data, or null */
        public String data() {
            return data;
        }

        /** @return a tool use's id, or null */
        public String id() {
            return id;
        }

        /** @return a tool use's name, or null */
        public String name() {
            return name;
        }

        /** @return a tool result's {@code tool_use_id}, or null */
        public String toolUseId() {
            return toolUseId;
        }

        /** @return a tool use's {@code input} as JSON text (whatever its shape), or null when absent */
        public String input() {
            return input;
        }

        /** @return how many other fields the block carried */
        public int extraCount() {
            return extras == null ? 0 : extras.size();
        }

        /**
         * Another field, as raw JSON.
         *
         * @param name its name
         * @return its text, or null when absent
         */
        public String extra(String name) {
            return extras == null ? null : extras.get(name);
        }
    }

    /**
     * A whole (non-streamed) message.
     *
     * @param header what the message says besides its blocks: id, model, stop reason, usage and the
     *               fields not modelled, read as a {@code message_start}'s message is
     * @param blocks the content blocks, in order
     */
    public record Message(Event header, List<Block> blocks) {
    }

    /**
     * Decodes a whole message.
     *
     * @param json   the bytes
     * @param length how many are valid
     * @return the message
     * @throws MalformedEventException if the bytes are not one JSON object of a message: another
     *                                 {@code type}, or no {@code content} array
     */
    public Message decodeMessage(byte[] json, int length) {
        try (JsonParser p = RawJson.JSON.createParser(ObjectReadContext.empty(), json, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not a JSON object");
            }
            Event header = new Event();
            List<Block> blocks = new ArrayList<>();
            boolean content = message(p, header, blocks);
            if (p.nextToken() != null) {
                throw new MalformedEventException("trailing data after the JSON object");
            }
            if (header.messageType != null && !header.messageType.equals("message")) {
                throw new MalformedEventException("not a message but an object of type '" + header.messageType + "'");
            }
            if (!content) {
                throw new MalformedEventException("a message without a content array");
            }
            return new Message(header, blocks);
        } catch (JacksonException e) {
            throw new MalformedEventException(e.getOriginalMessage());
        }
    }

    /**
     * A decoder for the events of one stream: one non-blocking parser fed each event's bytes, and one
     * {@link Event} reused. Not thread-safe; one per stream.
     *
     * @return the decoder
     */
    public static Streaming streaming() {
        return new Streaming();
    }

    /** Decodes the events of one stream; see {@link #streaming()}. */
    public static final class Streaming {
        private final JsonParser parser = RawJson.JSON.createNonBlockingByteArrayParser(ObjectReadContext.empty());
        private final ByteArrayFeeder feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
        private final Event event = new Event();

        private Streaming() {
        }

        /**
         * Decodes one event's data. The returned event is reused by the next call. After a
         * {@link MalformedEventException} the decoder is spent.
         *
         * @param data   the bytes
         * @param length how many are valid
         * @return what the event carries
         * @throws MalformedEventException if the bytes are not one whole JSON object
         */
        public Event decode(byte[] data, int length) {
            event.clear();
            try {
                feeder.feedInput(data, 0, length);
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new MalformedEventException("not a JSON object");
                }
                readEvent(parser, event);
                if (parser.currentToken() != JsonToken.END_OBJECT || !parser.streamReadContext().inRoot()) {
                    throw new MalformedEventException("incomplete JSON object");
                }
                if (parser.nextToken() != JsonToken.NOT_AVAILABLE) {
                    throw new MalformedEventException("trailing data after the JSON object");
                }
                return event;
            } catch (JacksonException e) {
                throw new MalformedEventException(e.getOriginalMessage());
            }
        }
    }

    private static void readEvent(JsonParser p, Event e) {
        String name;
        while ((name = next(p)) != null) {
            JsonToken t = token(p);
            switch (name) {
                case "type":
                    e.type = scalar(p, t);
                    break;
                case "index":
                    e.index = t == JsonToken.VALUE_NUMBER_INT ? index(p) : skipIndex(p);
                    break;
                case "content_block":
                    if (t == JsonToken.START_OBJECT) {
                        e.hasBlock = true;
                        block(p, e.block);
                    } else {
                        extra(p, t, e, name);
                    }
                    break;
                case "delta":
                    if (t == JsonToken.START_OBJECT) {
                        delta(p, e);
                    } else {
                        extra(p, t, e, name);
                    }
                    break;
                case "message":
                    if (t == JsonToken.START_OBJECT) {
                        message(p, e, null);
                    } else {
                        extra(p, t, e, name);
                    }
                    break;
                case "usage":
                    usageField(p, t, e);
                    break;
                case "error":
                    if (t == JsonToken.START_OBJECT) {
                        error(p, e);
                    } else {
                        e.errorMessage = t == JsonToken.VALUE_STRING ? p.getString() : skip(p);
                        e.errorType = e.errorType == null ? "error" : e.errorType;
                    }
                    break;
                case "request_id":
                    e.requestId = scalar(p, t);
                    break;
                default:
                    extra(p, t, e, name);
            }
        }
    }

    private static String next(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.PROPERTY_NAME) {
            return p.currentName();
        }
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        throw new MalformedEventException("incomplete JSON object");
    }

    private static JsonToken token(JsonParser p) {
        JsonToken t = p.nextToken();
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            throw new MalformedEventException("incomplete JSON object");
        }
        return t;
    }

    /**
     * The fields of a message: a body's top level, or {@code message_start}'s {@code message}.
     *
     * @param blocks where a body's blocks go; null for {@code message_start}, whose {@code content} is
     *               kept as a field when it is not empty
     * @return whether there was a {@code content} array
     */
    private static boolean message(JsonParser p, Event e, List<Block> blocks) {
        boolean content = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id": e.messageId = scalar(p, t); break;
                case "model": e.model = scalar(p, t); break;
                case "type": e.messageType = scalar(p, t); break;
                case "role": skip(p); break;
                case "stop_reason": e.stopReason = scalar(p, t); break;
                case "usage": usageField(p, t, e); break;
                case "content":
                    if (t == JsonToken.START_ARRAY && blocks != null) {
                        content = true;
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (t != JsonToken.START_OBJECT) {
                                throw new MalformedEventException("content block " + blocks.size() + " is not an object");
                            }
                            Block b = new Block();
                            block(p, b);
                            blocks.add(b);
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        String raw = RawJson.copy(p, t);
                        if (!raw.equals(RawJson.EMPTY_ARRAY)) {
                            e.extras().add(name, raw); // message_start's content is empty but for odd servers
                        }
                    }
                    break;
                default:
                    extra(p, t, e, name);
            }
        }
        return content;
    }

    private static void block(JsonParser p, Block b) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": b.type = scalar(p, t); break;
                case "text": b.text = scalar(p, t); break;
                case "thinking": b.thinking = scalar(p, t); break;
                case "signature": b.signature = scalar(p, t); break;
                case "data": b.data = scalar(p, t); break;
                case "id": b.id = scalar(p, t); break;
                case "name": b.name = scalar(p, t); break;
                case "tool_use_id": b.toolUseId = scalar(p, t); break;
                case "input": b.input = t == JsonToken.VALUE_NULL ? "null" : RawJson.copy(p, t); break;
                default:
                    if (t == JsonToken.VALUE_NULL) {
                        break;
                    }
                    b.extras().add(name, RawJson.copy(p, t));
            }
        }
    }

    private static void delta(JsonParser p, Event e) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": e.deltaType = scalar(p, t); break;
                case "text":
                case "partial_json":
                case "thinking":
                case "signature":
                    if (t == JsonToken.VALUE_STRING) {
                        e.deltaValue = p.getString();
                    } else {
                        e.deltaValue = RawJson.copy(p, t);
                        e.deltaNotString = true;
                    }
                    break;
                case "citation": e.deltaValue = RawJson.copy(p, t); break;
                case "stop_reason": e.stopReason = scalar(p, t); break;
                default:
                    extra(p, t, e, name);
            }
        }
    }

    private static void error(JsonParser p, Event e) {
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type": e.errorType = scalar(p, t); break;
                case "message": e.errorMessage = scalar(p, t); break;
                case "details": e.errorDetails = t == JsonToken.VALUE_NULL ? null : RawJson.copy(p, t); break;
                default: p.skipChildren();
            }
        }
        if (e.errorType == null) {
            e.errorType = "error";
        }
    }

    private static void usageField(JsonParser p, JsonToken t, Event e) {
        if (t == JsonToken.START_OBJECT) {
            usage(p, e);
            e.hasUsage = true;
        } else {
            extra(p, t, e, "usage");
        }
    }

    private static void usage(JsonParser p, Event e) {
        UsageFields u = e.usage;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "input_tokens": u.input = count(p, t, e, name); break;
                case "output_tokens": u.output = count(p, t, e, name); break;
                case "cache_creation_input_tokens": u.cacheCreation = count(p, t, e, name); break;
                case "cache_read_input_tokens": u.cacheRead = count(p, t, e, name); break;
                default: extra(p, t, e, "usage." + name);
            }
        }
    }

    /** A token count; -1 (not reported) when null, and when it is not a count its text is kept. */
    private static long count(JsonParser p, JsonToken t, Event e, String name) {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            try {
                long v = p.getLongValue();
                if (v >= 0) {
                    return v;
                }
            } catch (InputCoercionException beyondLong) {
                // kept as text below
            }
        }
        extra(p, t, e, "usage." + name);
        return -1;
    }

    /** A field the port does not model: its text kept in the event unless it is null. */
    private static void extra(JsonParser p, JsonToken t, Event e, String name) {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        e.extras().add(name, RawJson.copy(p, t));
    }

    private static long index(JsonParser p) {
        try {
            return Math.max(-1, p.getLongValue());
        } catch (InputCoercionException tooLarge) {
            return -1;
        }
    }

    private static long skipIndex(JsonParser p) {
        p.skipChildren();
        return -1;
    }

    private static String scalar(JsonParser p, JsonToken t) {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    private static String skip(JsonParser p) {
        p.skipChildren();
        return null;
    }
}
