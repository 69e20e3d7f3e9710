package dev.alfred.llm;

/** {@link TokenCounter#estimate()}: the rule of thumb it documents. Stateless. */
final class TokenEstimate implements TokenCounter {

    static final TokenEstimate INSTANCE = new TokenEstimate();
    static final String METHOD = "estimate: ASCII chars/4 + other chars + 4 per message + 3 + 1000 per image";
    private static final int PER_MESSAGE = 4;
    private static final int PRIMING = 3;
    private static final int PER_IMAGE = 1000;

    private TokenEstimate() {
    }

    @Override
    public TokenCount count(ChatRequest request) {
        long tokens = PRIMING;
        for (ChatMessage message : request.messages()) {
            tokens += PER_MESSAGE + message(message);
        }
        for (ToolDefinition tool : request.tools()) {
            tokens += PER_MESSAGE + text(tool.name()) + text(tool.description())
                    + (tool.parameters() == null ? 0 : text(tool.parameters().json()));
        }
        return new TokenCount(tokens, TokenCount.Kind.ESTIMATE, METHOD);
    }

    private static long message(ChatMessage message) {
        if (message instanceof SystemMessage) {
            return text(((SystemMessage) message).content());
        }
        if (message instanceof UserMessage) {
            long n = 0;
            for (ContentPart part : ((UserMessage) message).parts()) {
                n += part instanceof ContentPart.Text ? text(((ContentPart.Text) part).text()) : PER_IMAGE;
            }
            return n;
        }
        if (message instanceof AssistantMessage) {
            AssistantMessage a = (AssistantMessage) message;
            long n = text(a.content());
            for (ToolCall call : a.toolCalls()) {
                n += PRIMING + text(call.name()) + text(call.arguments());
            }
            return n;
        }
        ToolMessage t = (ToolMessage) message;
        return text(t.toolName()) + text(t.content());
    }

    /** A quarter token per ASCII character, rounded up, and a token per other character. */
    static long text(String s) {
        if (s == null) {
            return 0;
        }
        long ascii = 0;
        long other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                ascii++;
            } else if (!Character.isLowSurrogate(c)) {
                other++;
            }
        }
        return (ascii + 3) / 4 + other;
    }
}
