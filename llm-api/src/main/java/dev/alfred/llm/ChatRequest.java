package dev.alfred.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to ask a model: the conversation so far and optional settings.
 *
 * <p>Every optional setting is {@code null} when the caller did not set it, and a provider then sends
 * nothing for it, so the provider's or model's own default applies (some models reject any explicit
 * temperature). Build one with {@link #builder()} or {@link #of(String)}.
 *
 * @param messages    the conversation, oldest first; never null or empty
 * @param model       the model to use instead of the provider's default, or null
 * @param temperature sampling temperature in [0, 2], or null
 * @param topP        nucleus sampling mass in (0, 1], or null
 * @param maxTokens   the most tokens to generate (reasoning included), positive, or null
 * @param stop        stop sequences, never null (empty when unset)
 */
public record ChatRequest(List<ChatMessage> messages, String model, Double temperature, Double topP,
                          Integer maxTokens, List<String> stop) {

    /** The highest temperature the port accepts; a provider may accept less. */
    public static final double MAX_TEMPERATURE = 2.0;

    /**
     * Validates and copies the request.
     *
     * @param messages the conversation, oldest first; never null or empty
     * @param model the model to use instead of the provider's default, or null
     * @param temperature sampling temperature in [0, 2], or null
     * @param topP nucleus sampling mass in (0, 1], or null
     * @param maxTokens the most tokens to generate (reasoning included), positive, or null
     * @param stop stop sequences, never null (empty when unset)
     * @throws IllegalArgumentException naming the field: messages null, empty or holding null; model
     *                                  blank; temperature outside [0, 2] or not finite; topP outside
     *                                  (0, 1]; maxTokens not positive; a stop sequence null or empty
     */
    public ChatRequest {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be null or empty");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new IllegalArgumentException("messages[" + i + "] must not be null");
            }
        }
        messages = List.copyOf(messages);
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (temperature != null && !(temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
            throw new IllegalArgumentException("temperature must be within [0, 2], was " + temperature);
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be within (0, 1], was " + topP);
        }
        if (maxTokens != null && maxTokens <= 0) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        stop = stop == null ? List.of() : List.copyOf(validateStop(stop));
    }

    private static List<String> validateStop(List<String> stop) {
        for (int i = 0; i < stop.size(); i++) {
            String s = stop.get(i);
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop[" + i + "] must not be null or empty");
            }
        }
        return stop;
    }

    /**
     * A one-turn request: a single user message and no optional settings.
     *
     * @param userMessage what the user asks
     * @return the request
     * @throws IllegalArgumentException if userMessage is null or empty
     */
    public static ChatRequest of(String userMessage) {
        return builder().user(userMessage).build();
    }

    /**
     * A new, empty builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder that starts from this request, to change a setting or add a message.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.model = model;
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.stop = stop;
        return b;
    }

    /** Builds a {@link ChatRequest}; not thread-safe. Unset settings stay absent. */
    public static final class Builder {
        private final List<ChatMessage> messages = new ArrayList<>();
        private String model;
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private List<String> stop = List.of();

        private Builder() {
        }

        /**
         * Appends a message.
         *
         * @param message the message
         * @return this builder
         * @throws NullPointerException if message is null
         */
        public Builder message(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Appends messages.
         *
         * @param messages the messages, oldest first
         * @return this builder
         * @throws NullPointerException if messages or one of them is null
         */
        public Builder messages(List<ChatMessage> messages) {
            messages.forEach(this::message);
            return this;
        }

        /**
         * Appends a system message.
         *
         * @param content the instructions
         * @return this builder
         * @throws IllegalArgumentException if content is null or empty
         */
        public Builder system(String content) {
            return message(ChatMessage.system(content));
        }

        /**
         * Appends a user message.
         *
         * @param content what the user says
         * @return this builder
         * @throws IllegalArgumentException if content is null or empty
         */
        public Builder user(String content) {
            return message(ChatMessage.user(content));
        }

        /**
         * Appends an assistant message.
         *
         * @param content what the model said earlier
         * @return this builder
         * @throws IllegalArgumentException if content is null
         */
        public Builder assistant(String content) {
            return message(ChatMessage.assistant(content));
        }

        /**
         * Sets the model, overriding the provider's default; null clears it.
         *
         * @param model the model id
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the temperature; null clears it. Checked by {@link #build()}.
         *
         * @param temperature the temperature in [0, 2]
         * @return this builder
         */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets nucleus sampling; null clears it. Checked by {@link #build()}.
         *
         * @param topP the probability mass in (0, 1]
         * @return this builder
         */
        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        /**
         * Sets the most tokens to generate; null clears it. Checked by {@link #build()}.
         *
         * @param maxTokens a positive count
         * @return this builder
         */
        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * Sets the stop sequences, replacing earlier ones. Checked by {@link #build()}.
         *
         * @param stop the sequences
         * @return this builder
         * @throws NullPointerException if stop is null
         */
        public Builder stop(List<String> stop) {
            this.stop = new ArrayList<>(Objects.requireNonNull(stop, "stop"));
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the validated request
         * @throws IllegalArgumentException if a field is invalid, naming it
         */
        public ChatRequest build() {
            return new ChatRequest(messages, model, temperature, topP, maxTokens, stop);
        }
    }
}
