package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.FinishReason;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds one answer of the Messages API into an {@link AnswerSink}, from a whole body
 * ({@link #message}) or from a stream's events ({@link #event}), through the same steps, so that a
 * chat and a stream of the same answer fold alike:
 *
 * <ul>
 *   <li>the message's id, model and usage (cumulative: each report replaces the fields it carries,
 *       anthropic-api.md §3, rule 3; the counts exactly as reported);</li>
 *   <li>its content blocks through {@link Blocks};</li>
 *   <li>the stop reason: {@code refusal} is {@link FinishReason#REFUSAL} with a refusal part (the
 *       {@code stop_details} explanation, else its category), the text before it kept;
 *       {@code pause_turn} keeps the whole answer as state, to be sent back so the server continues,
 *       and says so in a warning;</li>
 *   <li>every message field the port does not model ({@code container}, {@code stop_details},
 *       {@code stop_sequence}, {@code usage.server_tool_use}, {@code usage.service_tier}, …) as a
 *       provider field under its name (a usage field as last reported, when the answer ends), an
 *       unknown block field under {@code content[i].<name>}, and unknown events under
 *       {@code events.<type>} (a JSON array of their data), each named in a warning;</li>
 *   <li>at the end, the tool calls judged and the blocks kept as state for the next turn.</li>
 * </ul>
 *
 * Not thread-safe: one per answer.
 */
public final class AnswerFolder {

    /** The most characters of unknown events kept per answer; past it they are counted in a warning. */
    static final int MAX_UNKNOWN_CHARS = 1 << 20;

    /** What a streamed event meant. */
    public enum Step {
        /** The answer goes on. */
        GOING,
        /** {@code message_stop}: the answer ended successfully and was finished. */
        ENDED,
        /** An {@code error} event: the answer failed (its error is the event's). */
        FAILED
    }

    private final AnswerSink sink;
    private final String providerId;
    private final Blocks blocks;
    private final UsageFields usage = new UsageFields();
    private FinishReason reason;
    private boolean refused;
    private boolean paused;
    private Map<String, String> usageFields;
    private Map<String, StringBuilder> unknownEvents;
    private int unknownChars;
    private int unknownDropped;

    /**
     * A folder for one answer.
     *
     * @param sink       where the answer goes
     * @param providerId the provider that owns the answer's state
     */
    public AnswerFolder(AnswerSink sink, String providerId) {
        this.sink = sink;
        this.providerId = providerId;
        this.blocks = new Blocks(sink);
    }

    /**
     * Folds a whole message and ends the answer.
     *
     * @param m the message
     * @throws MalformedEventException for blocks the grammar forbids
     */
    public void message(EventDecoder.Message m) {
        Event header = m.header();
        start(header);
        long index = 0;
        for (EventDecoder.Block b : m.blocks()) {
            blocks.start(index, b);
            blocks.stop(index++);
        }
        stopReason(header);
        end();
    }

    /**
     * Folds one streamed event: {@code ping} and the events of a later API version are kept going
     * (the latter kept as provider fields), {@code message_stop} ends the answer.
     *
     * @param name   the event's name, which stands in for a missing JSON {@code type}
     * @param e      the decoded event
     * @param data   the event's data, kept for an unknown event
     * @param length how many bytes of data are valid
     * @return what the event meant
     * @throws MalformedEventException for an event the grammar forbids
     */
    public Step event(String name, Event e, byte[] data, int length) {
        String type = e.type != null ? e.type : name;
        switch (type) {
            case "message_start":
                start(e);
                return Step.GOING;
            case "content_block_start":
                blocks.start(e.index, e.block);
                blockFields(e);
                return Step.GOING;
            case "content_block_delta":
                if (!blocks.delta(e.index, e)) {
                    blockFields(e);
                }
                return Step.GOING;
            case "content_block_stop":
                blocks.stop(e.index);
                blockFields(e);
                return Step.GOING;
            case "message_delta":
                stopReason(e);
                usage(e);
                messageFields(e);
                return Step.GOING;
            case "message_stop":
                messageFields(e);
                end();
                return Step.ENDED;
            case "error":
                return Step.FAILED;
            case "ping":
                return Step.GOING;
            default:
                unknownEvent(type, data, length);
                return Step.GOING;
        }
    }

    private void start(Event e) {
        sink.id(e.messageId);
        sink.model(e.model);
        usage(e);
        messageFields(e);
    }

    private void usage(Event e) {
        if (e.hasUsage) {
            usage.merge(e.usage);
            sink.usage(usage.toUsage());
        }
    }

    /**
     * The message's fields the port does not model, kept under their names; usage fields, which every
     * report repeats cumulatively, only as last reported, when the answer ends.
     */
    private void messageFields(Event e) {
        for (int i = 0; i < e.extraCount(); i++) {
            String name = e.extras().name(i);
            if (name.startsWith("usage.")) {
                if (usageFields == null) {
                    usageFields = new LinkedHashMap<>();
                }
                usageFields.put(name, e.extras().value(i));
            } else {
                sink.providerField(name, e.extras().value(i));
            }
        }
    }

    private void blockFields(Event e) {
        for (int i = 0; i < e.extraCount(); i++) {
            sink.providerField("content[" + e.index + "]." + e.extras().name(i), e.extras().value(i));
        }
    }

    private void stopReason(Event e) {
        String raw = e.stopReason;
        if (raw == null) {
            return;
        }
        reason = StopReasons.of(raw);
        sink.finishReason(reason, raw);
        if (raw.equals("refusal") && !refused) {
            refused = true;
            sink.part(new ChatDelta.Refusal(refusal(e.extra("stop_details"))));
        } else if (raw.equals("pause_turn") && !paused) {
            paused = true;
            sink.warn("the server paused a long-running turn (stop_reason pause_turn): send this answer back as the"
                    + " last assistant message, with the same tools, to let it continue");
        }
    }

    /** A refusal's text: the explanation of {@code stop_details}, else its category, else the fact. */
    static String refusal(String stopDetails) {
        String explanation = RawJson.string(stopDetails, "explanation");
        if (explanation != null && !explanation.isBlank()) {
            return explanation;
        }
        String category = RawJson.string(stopDetails, "category");
        return "declined to answer (stop_reason refusal" + (category == null ? "" : ", category " + category) + ")";
    }

    private void unknownEvent(String type, byte[] data, int length) {
        if (unknownChars + length > MAX_UNKNOWN_CHARS) {
            unknownDropped++;
            return;
        }
        unknownChars += length;
        if (unknownEvents == null) {
            unknownEvents = new LinkedHashMap<>();
        }
        StringBuilder kept = unknownEvents.get(type);
        if (kept == null) {
            unknownEvents.put(type, kept = new StringBuilder("["));
        } else {
            kept.append(',');
        }
        kept.append(new String(data, 0, length, StandardCharsets.UTF_8));
    }

    private void end() {
        for (ChatDelta.ToolCallEnd end : blocks.endCalls(reason)) {
            sink.part(end);
        }
        if (usageFields != null) {
            usageFields.forEach(sink::providerField);
        }
        if (unknownEvents != null) {
            unknownEvents.forEach((type, kept) -> sink.providerField("events." + type, kept + "]"));
        }
        if (unknownDropped > 0) {
            sink.warn(unknownDropped + " events of types this version does not know were dropped past "
                    + MAX_UNKNOWN_CHARS + " characters of them");
        }
        sink.state(blocks.state(providerId, paused));
    }
}
