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

    /** @param part a text, reasoning, refusal or tool-call part */
    void part(ChatDelta part);

    /** @param warning what was kept unmodelled, repaired or ignored */
    void warn(String warning);

    /** @param citation a source cited for a span of the text */
    void citation(Citation citation);

    /** @param use a tool the server ran, or its result (replacing the use of the same id) */
    void serverTool(ServerToolUse use);

    /**
     * @param id a server tool use's id
     * @return the use recorded under it, or null
     */
    ServerToolUse serverTool(String id);

    /**
     * @param path where the field was, such as {@code container} or {@code content[2].caller}
     * @param json its raw JSON
     */
    void providerField(String path, String json);

    /** @param id the message id */
    void id(String id);

    /** @param model the model that answered */
    void model(String model);

    /** @param usage the usage so far */
    void usage(Usage usage);

    /**
     * @param reason why the output ended
     * @param raw    Anthropic's word for it
     */
    void finishReason(FinishReason reason, String raw);

    /** @param state the blocks to send back on the next turn */
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
