package dev.alfred.llm.openai;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.testkit.EmbeddingProviderContract;
import dev.alfred.llm.testkit.EmbeddingTarget;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.Nested;

/** OpenAI-compatible embeddings keep the kit's embeddings contract, against OpenAI's and Voyage AI's shapes. */
class OpenAiEmbeddingsCompatibilityTest {

    static EmbeddingProvider create(EmbeddingTarget target, Dialect dialect) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        return OpenAiEmbeddings.builder()
                .dialect(dialect)
                .apiKey(target.apiKey())
                .baseUrl(target.baseUri())
                .limits(target.limits())
                .idleTimeout(target.idleTimeout())
                .headersTimeout(target.headersTimeout())
                .watchdog(watchdog)
                .build();
    }

    /** OpenAI's shape, base64 by default. */
    @Nested
    class OpenAi extends EmbeddingProviderContract {
        @Override
        protected EmbeddingProvider createEmbeddingProvider(EmbeddingTarget target) {
            return create(target, Dialect.OPENAI);
        }

        @Override
        protected WireDialect dialect() {
            return WireDialect.openAi();
        }
    }

    /** Voyage AI: output_dimension, input_type, total_tokens only. */
    @Nested
    class Voyage extends EmbeddingProviderContract {
        @Override
        protected EmbeddingProvider createEmbeddingProvider(EmbeddingTarget target) {
            return create(target, Dialect.VOYAGE);
        }

        @Override
        protected WireDialect dialect() {
            return WireDialect.voyage();
        }

        @Override
        protected String model() {
            return "voyage-3.5";
        }
    }
}
