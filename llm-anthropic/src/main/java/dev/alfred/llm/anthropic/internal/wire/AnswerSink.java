package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.Usage;

/**
 * Where a folded answer goes: the {@link ResponseAccumulator} of a whole body, or a stream's report
 * methods, so that a body and a stream fold through the same code. Parts go in order; the rest is
 * recorded as it is known.
 */
public interface AnswerSink {

    /**
     * Hands out a part of the answer, after the parts before it.
     *
     * @param part a text, reasoning, refusal or tool-call part
     */
    void part(ChatDelta part);

    /**
     * Adds a warning to the answer.
     *
     * @param warning what was repaired, dropped past a bound, or is worth knowing (a paused turn)
     */
    void warn(String warning);

    /**
     * Records a source cited for a span of the answer's text.
     *
     * @param citation the citation, its span in the folded text
     */
    void citation(Citation citation);

    /**
     * Records a tool the server ran, or the same use with its result (replacing the use of its id).
     *
     * @param use the use
     */
    void serverTool(ServerToolUse use);

    /**
     * The server tool use recorded under an id, so that its result can be added to it.
     *
     * @param id a server tool use's id
     * @return the use recorded under it, or null
     */
    ServerToolUse serverTool(String id);

    /**
     * Keeps a field the port does not model, as the server sent it; the answer names it in a warning.
     *
     * @param path where the field was, such as {@code container} or {@code content[2].caller}
     * @param json its raw JSON
     */
    void providerField(String path, String json);

    /**
     * Records the message id.
     *
     * @param id the id, or null
     */
    void id(String id);

    /**
     * Records the model that answered (a fallback block's served model replaces the one asked for).
     *
     * @param model the model, or null
     */
    void model(String model);

    /**
     * Records the usage so far; a later report replaces it.
     *
     * @param usage the usage, or null
     */
    void usage(Usage usage);

    /**
     * Records why the output ended.
     *
     * @param reason the port's reason
     * @param raw    Anthropic's word for it
     */
    void finishReason(FinishReason reason, String raw);

    /**
     * Records the state to send back on the next turn: the answer's blocks as received.
     *
     * @param state the state, or {@link ProviderState#NONE}
     */
    void state(ProviderState state);

    /**
     * A sink into an accumulator, for a whole body.
     *
     * @param answer the accumulator
     * @return the sink
     */
    static AnswerSink of(ResponseAccumulator answer) {
        return new AnswerSink() {
            @Override
            public void part(ChatDelta part) {
                answer.accept(part);
            }

            @Override
            public void warn(String warning) {
                answer.warn(warning);
            }

            @Override
            public void citation(Citation citation) {
                answer.citation(citation);
            }

            @Override
            public void serverTool(ServerToolUse use) {
                answer.serverTool(use);
            }

            @Override
            public ServerToolUse serverTool(String id) {
                return answer.serverTool(id);
            }

            @Override
            public void providerField(String path, String json) {
                answer.providerField(path, json);
            }

            @Override
            public void id(String id) {
                answer.id(id);
            }

            @Override
            public void model(String model) {
                answer.model(model);
            }

            @Override
            public void usage(Usage usage) {
                answer.usage(usage);
            }

            @Override
            public void finishReason(FinishReason reason, String raw) {
                answer.finishReason(reason, raw);
            }

            @Override
            public void state(ProviderState state) {
                answer.state(state);
            }
        };
    }
}
