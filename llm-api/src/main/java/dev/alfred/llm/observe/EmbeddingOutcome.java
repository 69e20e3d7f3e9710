package dev.alfred.llm.observe;

import dev.alfred.llm.EmbeddingResponse;

import java.time.Duration;
import java.util.Objects;

/** How an embeddings call ended, as its listeners hear it once. */
public sealed interface EmbeddingOutcome {

    /**
     * How long the call took.
     *
     * @return the duration
     */
    Duration duration();

    /**
     * Every vector arrived.
     *
     * @param response the response
     * @param duration how long the call took
     */
    record Completed(EmbeddingResponse response, Duration duration) implements EmbeddingOutcome {
        /**
         * Validates.
         *
         * @param response the response
         * @param duration the duration
         * @throws NullPointerException if an argument is null
         */
        public Completed {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * The call failed.
     *
     * @param error    what failed it
     * @param duration how long the call took
     */
    record Failed(Throwable error, Duration duration) implements EmbeddingOutcome {
        /**
         * Validates.
         *
         * @param error    the error
         * @param duration the duration
         * @throws NullPointerException if an argument is null
         */
        public Failed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(duration, "duration");
        }
    }
}
