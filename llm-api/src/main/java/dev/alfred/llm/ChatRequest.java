package dev.alfred.llm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to ask a model: the conversation so far, tools it may call, the shape of the answer, and
 * optional settings.
 *
 * <p>Every optional setting is {@code null} when the caller did not set it, and a provider then sends
 * nothing for it, so the provider's or model's own default applies (some models reject any explicit
 * temperature). Lists are never null. Build one with {@link #builder()} or {@link #of(String)}. A
 * request is checked as a whole when built: a tool result must answer a call an earlier assistant
 * message made, a tool choice must name a declared tool, and tool names must be unique.
 *
 * @param messages          the conversation, oldest first; never null or empty
 * @param model             the model to use instead of the provider's default, or null
 * @param temperature       sampling temperature in [0, 2], or null
 * @param topP              nucleus sampling mass in (0, 1], or null
 * @param maxTokens         the most tokens to generate (reasoning included), positive, or null
 * @param stop              stop sequences, never null (empty when unset)
 * @param tools             tools the model may call, never null
 * @param toolChoice        whether and which tool the model must call, or null
 * @param parallelToolCalls whether the model may call several tools at once, or null
 * @param responseFormat    the shape of the answer, or null
 * @param options           settings for one provider each (at most one per type), never null
 * @param settings          how this request is sent (its own deadline, extra headers and body fields),
 *                          never null ({@link RequestSettings#NONE} when unset)
 */
public record ChatRequest(List<ChatMessage> messages, String model, Double temperature, Double topP,
                          Integer maxTokens, List<String> stop, List<ToolDefinition> tools, ToolChoice toolChoice,
                          Boolean parallelToolCalls, ResponseFormat responseFormat, List<ProviderOptions> options,
                          RequestSettings settings) {

    /** The highest temperature the port accepts; a provider may accept less. */
    public static final double MAX_TEMPERATURE = 2.0;

    /**
     * Validates and copies the request.
     *
     * @param messages the conversation
     * @param model the model, or null
     * @param temperature the temperature, or null
     * @param topP nucleus sampling, or null
     * @param maxTokens the token limit, or null
     * @param stop the stop sequences
     * @param tools the tools
     * @param toolChoice the tool choice, or null
     * @param parallelToolCalls parallel calls, or null
     * @param responseFormat the answer's shape, or null
     * @param options provider options
     * @param settings how it is sent; null counts as {@link RequestSettings#NONE}
     * @throws IllegalArgumentException naming the field: messages null, empty or holding null; model
     *                                  blank; temperature outside [0, 2] or not finite; topP outside
     *                                  (0, 1]; maxTokens not positive; a stop sequence null or empty; a
     *                                  tool null or named twice; a tool choice naming no declared tool,
     *                                  or requiring a tool when none is declared; a tool result whose
     *                                  call id no earlier assistant message made; options null or two
     *                                  of one type
     */
    public ChatRequest {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be null or empty");
        }
        messages = List.copyOf(nonNull("messages", messages));
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
        tools = tools == null ? List.of() : List.copyOf(nonNull("tools", tools));
        options = options == null ? List.of() : List.copyOf(nonNull("options", options));
        settings = settings == null ? RequestSettings.NONE : settings;
        Set<String> names = new HashSet<>();
        for (ToolDefinition t : tools) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tool '" + t.name() + "' is declared twice");
            }
        }
        if (toolChoice != null) {
            if (toolChoice.mode() == ToolChoice.Mode.TOOL && !names.contains(toolChoice.toolName())) {
                throw new IllegalArgumentException("toolChoice names tool '" + toolChoice.toolName()
                        + "', which is not among the request's tools " + names);
            }
            if (toolChoice.mode() == ToolChoice.Mode.REQUIRED && tools.isEmpty()) {
                throw new IllegalArgumentException("toolChoice REQUIRED needs at least one tool");
            }
        }
        checkToolResults(messages);
        Set<Class<?>> optionTypes = new HashSet<>();
        for (ProviderOptions o : options) {
            if (!optionTypes.add(o.getClass())) {
                throw new IllegalArgumentException("options hold two " + o.getClass().getSimpleName());
            }
        }
    }

    private static <T> List<T> nonNull(String what, List<T> list) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new IllegalArgumentException(what + "[" + i + "] must not be null");
            }
        }
        return list;
    }

    private static void checkToolResults(List<ChatMessage> messages) {
        Set<String> calls = new HashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (m instanceof AssistantMessage a) {
                for (ToolCall c : a.toolCalls()) {
                    calls.add(c.id());
                }
            } else if (m instanceof ToolMessage t && !calls.contains(t.toolCallId())) {
                throw new IllegalArgumentException("messages[" + i + "] is a result for tool call id '"
                        + t.toolCallId() + "', which no earlier assistant message made");
            }
        }
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
     * The options of one type, if the request carries them.
     *
     * @param type the options type, such as {@code KimiOptions.class}
     * @param <T>  the type
     * @return the options, or empty
     */
    public <T extends ProviderOptions> Optional<T> options(Class<T> type) {
        for (ProviderOptions o : options) {
            if (type.isInstance(o)) {
                return Optional.of(type.cast(o));
            }
        }
        return Optional.empty();
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
        b.tools.addAll(tools);
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.responseFormat = responseFormat;
        b.options.addAll(options);
        b.settings = settings;
        return b;
    }

    /**
     * This request with other messages and every setting kept, such as the next round of a conversation
     * (a tool loop) or the same question with an instruction put in front (structured output).
     *
     * @param messages the messages, oldest first
     * @return the request
     * @throws IllegalArgumentException if the messages break a rule of the request, such as a tool result
     *                                  that answers no earlier call
     * @throws NullPointerException     if messages or one of them is null
     */
    public ChatRequest withMessages(List<? extends ChatMessage> messages) {
        return new ChatRequest(List.copyOf(messages), model, temperature, topP, maxTokens, stop, tools, toolChoice,
                parallelToolCalls, responseFormat, options, settings);
    }

    /** Builds a {@link ChatRequest}; not thread-safe. Unset settings stay absent. */
    public static final class Builder {
        private final List<ChatMessage> messages = new ArrayList<>();
        private String model;
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private List<String> stop = List.of();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private ToolChoice toolChoice;
        private RequestSettings settings = RequestSettings.NONE;
        private Boolean parallelToolCalls;
        private ResponseFormat responseFormat;
        private final List<ProviderOptions> options = new ArrayList<>();

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
        public Builder messages(List<? extends ChatMessage> messages) {
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
         * Appends a user message of text.
         *
         * @param content what the user says
         * @return this builder
         * @throws IllegalArgumentException if content is null or empty
         */
        public Builder user(String content) {
            return message(ChatMessage.user(content));
        }

        /**
         * Appends a user message of several parts (text and images).
         *
         * @param parts the parts
         * @return this builder
         * @throws IllegalArgumentException if there are no parts or one is null
         */
        public Builder user(ContentPart... parts) {
            return message(ChatMessage.user(parts));
        }

        /**
         * Appends an assistant message of text.
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
         * Adds tools the model may call.
         *
         * @param tools the definitions
         * @return this builder
         * @throws NullPointerException if a tool is null
         */
        public Builder tools(ToolDefinition... tools) {
            for (ToolDefinition t : tools) {
                this.tools.add(Objects.requireNonNull(t, "tool"));
            }
            return this;
        }

        /**
         * Adds tools the model may call.
         *
         * @param tools the definitions
         * @return this builder
         * @throws NullPointerException if a tool is null
         */
        public Builder tools(List<ToolDefinition> tools) {
            return tools(tools.toArray(new ToolDefinition[0]));
        }

        /**
         * Sets whether and which tool the model must call; null clears it.
         *
         * @param toolChoice the choice
         * @return this builder
         */
        public Builder toolChoice(ToolChoice toolChoice) {
            this.toolChoice = toolChoice;
            return this;
        }

        /**
         * Sets whether the model may call several tools at once; null clears it.
         *
         * @param parallel the setting
         * @return this builder
         */
        public Builder parallelToolCalls(Boolean parallel) {
            this.parallelToolCalls = parallel;
            return this;
        }

        /**
         * Sets the shape of the answer; null clears it.
         *
         * @param format the format
         * @return this builder
         */
        public Builder responseFormat(ResponseFormat format) {
            this.responseFormat = format;
            return this;
        }

        /**
         * Adds settings for one provider, replacing earlier ones of the same type.
         *
         * @param options the options
         * @return this builder
         * @throws NullPointerException if options is null
         */
        public Builder options(ProviderOptions options) {
            Objects.requireNonNull(options, "options");
            this.options.removeIf(o -> o.getClass() == options.getClass());
            this.options.add(options);
            return this;
        }

        /**
         * Sets how the request is sent: its own deadline, extra headers and body fields; null resets it.
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder settings(RequestSettings settings) {
            this.settings = settings == null ? RequestSettings.NONE : settings;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the validated request
         * @throws IllegalArgumentException if a field is invalid, naming it
         */
        public ChatRequest build() {
            return new ChatRequest(messages, model, temperature, topP, maxTokens, stop, tools, toolChoice,
                    parallelToolCalls, responseFormat, options, settings);
        }
    }
}
