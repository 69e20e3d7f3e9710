package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.Usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scripted answer, streamed or not: the deltas in order, the model, usage and finish reason, plus how
 * the stream is delivered (usage placement, chunking and pacing, the end marker or not, raw events
 * placed anywhere, a cut at any point). Immutable; each {@code with…} method returns a copy.
 *
 * @param deltas        text, reasoning and tool-call parts (start and argument fragments), in order
 * @param model         the model named in the answer
 * @param usage         the usage to report, or null for none
 * @param usagePlacement where a stream reports the usage
 * @param finishReason  the wire finish reason, such as {@code stop}
 * @param done          whether the stream ends with its end marker ({@code data: [DONE]}, Anthropic's
 *                      {@code message_stop})
 * @param chunks        into how many equal pieces the body's bytes are cut (1: all at once); each piece
 *                      is written and flushed as its own HTTP chunk, so a client reads them apart
 * @param chunkDelay    with more than one piece, the pause before each piece, on real time (the head comes
 *                      with the first); zero for none
 * @param rawEvents     extra events sent verbatim (malformed chunks, error payloads), each at its place
 * @param toolShape     how tool-call parts are put on the wire
 * @param cutAfter      with a value of 0 or more, the stream stops dead after that many deltas: no finish
 *                      chunk, no usage, no raw events, no {@code [DONE]} (a connection lost mid-answer);
 *                      -1 for a whole stream; raw events placed at that point are still sent
 * @param cutAtByte     with a value of 0 or more, the body is cut after that many bytes, wherever that
 *                      falls (inside an event, inside a character); -1 for none
 */
public record ScriptedStream(List<ChatDelta> deltas, String model, Usage usage, UsagePlacement usagePlacement,
                             String finishReason, boolean done, int chunks, Duration chunkDelay,
                             List<RawEvent> rawEvents, ToolShape toolShape, int cutAfter, int cutAtByte) {

    /**
     * An event sent verbatim. Text that starts with {@code data:}, {@code event:}, {@code id:} or
     * {@code :} is a whole event (its lines, without the blank line that ends it); any other text is
     * the data of an unnamed event.
     *
     * @param afterDeltas after how many deltas it is sent, or {@link #AT_END} for after the finish and
     *                    the usage, just before the end marker
     * @param text        the event
     */
    public record RawEvent(int afterDeltas, String text) {
        /** After the finish and the usage, before the end marker. */
        public static final int AT_END = -1;

        /**
         * Validates the event.
         *
         * @param afterDeltas the place
         * @param text the event
         * @throws IllegalArgumentException if the place is below -1 or the text null
         */
        public RawEvent {
            if (afterDeltas < AT_END || text == null) {
                throw new IllegalArgumentException("a raw event needs a place of -1 or more and a text");
            }
        }

        /** @return the event's lines as sent, ending with the blank line */
        public String asSse() {
            boolean whole = text.startsWith("data:") || text.startsWith("event:") || text.startsWith("id:")
                    || text.startsWith(":");
            return (whole ? text : "data: " + text) + "\n\n";
        }
    }

    /** How a stream puts tool calls on the wire; every shape is one the fact sheets report. */
    public enum ToolShape {
        /** A first delta with index, id and name, then argument fragments by index (Kimi, OpenAI). */
        STANDARD,
        /** The same without any {@code index} (index-less servers; each call's parts must not interleave). */
        INDEXLESS,
        /** Each call whole in one delta, with its index (Ollama, Groq, Mistral). */
        WHOLE
    }

    /** Where a stream carries its usage, as servers do it in their several ways (openai-compatible.md, rule 5). */
    public enum UsagePlacement {
        /**
         * Where the dialect's server puts it by default: Kimi in {@code choices[0].usage}; OpenAI in an
         * extra chunk only when the request asked with {@code stream_options.include_usage}; Anthropic
         * in {@code message_start} and {@code message_delta}.
         */
        SERVER_DEFAULT,
        /** Top-level on the finish chunk, which still has its choice (DeepSeek, Mistral, Groq, OpenRouter). */
        FINISH,
        /** In {@code choices[0].usage} of the final chunk (Kimi's default). */
        CHOICE,
        /** Only in an extra chunk with empty {@code choices} and top-level usage (OpenAI's include_usage). */
        TOP_LEVEL,
        /** Both: the same numbers twice, which must count once. */
        BOTH,
        /** Nowhere. */
        NONE
    }

    /**
     * Validates and copies.
     *
     * @param deltas text and reasoning pieces, in order
     * @param model the model named in the answer
     * @param usage the usage to report, or null for none
     * @param usagePlacement where a stream reports the usage
     * @param finishReason the wire finish reason, such as {@code stop}
     * @param done whether the stream ends with {@code data: [DONE]}
     * @param chunks into how many equal pieces the body's bytes are cut (1: all at once)
     * @param chunkDelay with more than one piece, the pause before each piece (the head comes with the first)
     * @param rawEvents extra events sent verbatim, each at its place
     * @param toolShape how tool-call parts are put on the wire
     * @param cutAfter after how many deltas the stream stops dead, or -1
     * @param cutAtByte after how many bytes the body is cut, or -1
     * @throws IllegalArgumentException if a list is null, chunks is not positive, or the delay is negative
     */
    public ScriptedStream {
        deltas = List.copyOf(Objects.requireNonNull(deltas, "deltas"));
        rawEvents = List.copyOf(Objects.requireNonNull(rawEvents, "rawEvents"));
        Objects.requireNonNull(usagePlacement, "usagePlacement");
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunks must be positive, was " + chunks);
        }
        Objects.requireNonNull(toolShape, "toolShape");
        if (cutAfter < -1) {
            throw new IllegalArgumentException("cutAfter must be -1 or more, was " + cutAfter);
        }
        if (chunkDelay == null || chunkDelay.isNegative()) {
            throw new IllegalArgumentException("chunkDelay must not be negative");
        }
        if (cutAtByte < -1) {
            throw new IllegalArgumentException("cutAtByte must be -1 or more, was " + cutAtByte);
        }
    }

    /** The usage a default script reports. */
    public static final Usage DEFAULT_USAGE = new Usage(12, 8, 20, 4, 0, 0);
    /** The model a default script names. */
    public static final String DEFAULT_MODEL = "fake-model-1";

    /**
     * A script of text deltas, with default model and usage, {@code stop}, and {@code [DONE]}.
     *
     * @param texts the text pieces
     * @return the script
     */
    public static ScriptedStream ofText(String... texts) {
        List<ChatDelta> d = new ArrayList<>();
        for (String t : texts) {
            d.add(ChatDelta.text(t));
        }
        return of(d);
    }

    /**
     * A script of the given deltas, with default model and usage, {@code stop}, and {@code [DONE]}.
     *
     * @param deltas the deltas
     * @return the script
     */
    public static ScriptedStream of(List<ChatDelta> deltas) {
        return new ScriptedStream(deltas, DEFAULT_MODEL, DEFAULT_USAGE, UsagePlacement.SERVER_DEFAULT, "stop", true, 1,
                Duration.ZERO, List.of(), ToolShape.STANDARD, -1, -1);
    }

    /** @return the concatenated text deltas */
    public String text() {
        return Deltas.join(deltas, ChatDelta.Kind.TEXT);
    }

    /** @return the concatenated reasoning deltas */
    public String reasoning() {
        return Deltas.join(deltas, ChatDelta.Kind.REASONING);
    }

    /** @return the concatenated refusal deltas */
    public String refusal() {
        return Deltas.join(deltas, ChatDelta.Kind.REFUSAL);
    }

    /**
     * A script of a refusal, as OpenAI streams one ({@code delta.refusal} pieces, then {@code stop}), with
     * default model and usage, and {@code [DONE]}.
     *
     * @param pieces the refusal's pieces
     * @return the script
     */
    public static ScriptedStream ofRefusal(String... pieces) {
        List<ChatDelta> d = new ArrayList<>();
        for (String p : pieces) {
            d.add(new ChatDelta.Refusal(p));
        }
        return of(d);
    }

    /** @return the finish reason as the port names it ({@code stop} with a refusal is {@link FinishReason#REFUSAL}) */
    public FinishReason portFinishReason() {
        switch (finishReason) {
            case "stop": return refusal().isEmpty() ? FinishReason.STOP : FinishReason.REFUSAL;
            case "length": return FinishReason.LENGTH;
            case "tool_calls": return FinishReason.TOOL_CALLS;
            case "content_filter": return FinishReason.CONTENT_FILTER;
            default: return FinishReason.OTHER;
        }
    }

    /**
     * @param usage the usage, or null
     * @param placement where the stream carries it
     * @return a copy with this usage
     */
    public ScriptedStream withUsage(Usage usage, UsagePlacement placement) {
        return new ScriptedStream(deltas, model, usage, placement, finishReason, done, chunks, chunkDelay, rawEvents, toolShape, cutAfter, cutAtByte);
    }

    /**
     * @param model the model
     * @return a copy naming this model
     */
    public ScriptedStream withModel(String model) {
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, done, chunks, chunkDelay, rawEvents, toolShape, cutAfter, cutAtByte);
    }

    /**
     * @param finishReason the wire finish reason
     * @return a copy with this finish reason
     */
    public ScriptedStream withFinishReason(String finishReason) {
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, done, chunks, chunkDelay, rawEvents, toolShape, cutAfter, cutAtByte);
    }

    /** @return a copy whose stream stops without {@code [DONE]}: a truncated stream */
    public ScriptedStream withoutDone() {
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, false, chunks, chunkDelay, rawEvents, toolShape, cutAfter, cutAtByte);
    }

    /**
     * @param chunks into how many equal pieces to cut the body
     * @param delay  the pause before each piece, the first included
     * @return a copy delivered so
     */
    public ScriptedStream chunked(int chunks, Duration delay) {
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, done, chunks, delay, rawEvents, toolShape, cutAfter, cutAtByte);
    }

    /**
     * @param data an event to send verbatim after the finish and the usage, before the end marker,
     *             such as a malformed chunk (see {@link RawEvent} for the form)
     * @return a copy with this extra event
     */
    public ScriptedStream withRawEvent(String data) {
        return withRawEventAt(RawEvent.AT_END, data);
    }

    /**
     * An event sent verbatim after some deltas: with {@link #cutAfter} at the same place, a stream
     * that fails mid-answer with an error event in place of further deltas and no finish.
     *
     * @param afterDeltas after how many deltas (0: before the first)
     * @param event       the event (see {@link RawEvent} for the form)
     * @return a copy with this extra event
     */
    public ScriptedStream withRawEventAt(int afterDeltas, String event) {
        List<RawEvent> raw = new ArrayList<>(rawEvents);
        raw.add(new RawEvent(afterDeltas, event));
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, done, chunks, chunkDelay, raw, toolShape, cutAfter, cutAtByte);
    }

    /**
     * A script of one tool call whose arguments arrive in the given fragments, ending with
     * {@code finish_reason: tool_calls}.
     *
     * @param id        the call id, sent byte for byte
     * @param name      the tool name
     * @param fragments the argument fragments
     * @return the script
     */
    public static ScriptedStream ofToolCall(String id, String name, String... fragments) {
        List<ChatDelta> d = new ArrayList<>();
        d.add(new ChatDelta.ToolCallStart(0, id, name));
        for (String f : fragments) {
            d.add(new ChatDelta.ToolCallArguments(0, f));
        }
        return of(d).withFinishReason("tool_calls");
    }

    /**
     * This script with tool calls put on the wire another way.
     *
     * @param shape the shape
     * @return the copy
     */
    public ScriptedStream withToolShape(ToolShape shape) {
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, done, chunks, chunkDelay, rawEvents,
                shape, cutAfter, cutAtByte);
    }

    /**
     * This script as a stream that stops dead after some deltas: no finish chunk, no usage, no
     * {@code [DONE]}.
     *
     * @param deltas how many deltas are sent
     * @return the copy
     */
    public ScriptedStream cutAfter(int deltas) {
        return new ScriptedStream(this.deltas, model, usage, usagePlacement, finishReason, done, chunks, chunkDelay,
                rawEvents, toolShape, deltas, cutAtByte);
    }

    /**
     * This script's body cut after a number of bytes, wherever that falls.
     *
     * @param bytes how many bytes of the body are sent
     * @return the copy
     */
    public ScriptedStream cutAtByte(int bytes) {
        return new ScriptedStream(deltas, model, usage, usagePlacement, finishReason, done, chunks, chunkDelay,
                rawEvents, toolShape, cutAfter, bytes);
    }

    /**
     * The raw events placed after a number of deltas.
     *
     * @param afterDeltas the place, or {@link RawEvent#AT_END}
     * @return their lines as sent, in order
     */
    public String rawEventsAt(int afterDeltas) {
        StringBuilder sb = new StringBuilder();
        for (RawEvent e : rawEvents) {
            if (e.afterDeltas() == afterDeltas) {
                sb.append(e.asSse());
            }
        }
        return sb.toString();
    }

    /**
     * The tool calls the whole script adds up to, each judged as a provider must judge it at the end of
     * the answer (a {@code length} finish marks them {@code TRUNCATED}).
     *
     * @return the calls, in the order they started
     */
    public List<ToolCall> toolCalls() {
        ResponseAccumulator acc = new ResponseAccumulator();
        deltas.forEach(acc::accept);
        acc.finishReason(portFinishReason(), finishReason);
        return acc.response().toolCalls();
    }
}
