package dev.alfred.llm.testkit;

/** What a provider supports; the contract kit skips the rules of capabilities a provider leaves out. */
public enum Capability {
    /** Reasoning (thinking) text, separate from the answer. */
    REASONING,
    /** Token usage in responses. */
    USAGE,
    /** Discovery through {@link java.util.ServiceLoader} by an id. */
    DISCOVERY
}
