package dev.alfred.llm;

/**
 * Settings only one provider understands, such as {@code KimiOptions.thinking(false)}, carried on a
 * {@link ChatRequest}. The provider whose id matches reads them; any other provider ignores them and
 * says so in the response's warnings and its log. Implementations are immutable.
 */
public interface ProviderOptions {

    /**
     * The id of the provider that reads these options.
     *
     * @return the provider id, such as {@code kimi}
     */
    String providerId();
}
