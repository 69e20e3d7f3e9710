package dev.alfred.llm.spi;

import dev.alfred.llm.EmbeddingBatchException;
import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Splits an embeddings call into batches within a server's {@link EmbeddingLimits}, sends them with at
 * most {@code concurrency} in flight and reassembles the vectors in input order: the one piece of batching
 * code, used by providers (so that a direct call batches) and by the retry decorator (so that it retries
 * batches, not the whole list; the provider inside then gets batches that fit and sends each as is).
 *
 * <p>The calling thread sends batches itself; up to {@code concurrency - 1} daemon threads named
 * {@code alfred-embeddings-…} send the others and end with the call. The first failure stops new batches
 * from starting and interrupts the helper threads' batches in flight (an interrupted send is cancelled);
 * the call fails with an {@link EmbeddingBatchException} naming the first failed batch's inputs (later
 * failures suppressed) once every batch has ended. Stateless and thread-safe.
 */
public final class EmbeddingBatches {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private EmbeddingBatches() {
    }

    /**
     * The batches of a request: consecutive input ranges, each within the limits' inputs and tokens
     * (bounded by {@link EmbeddingLimits#tokenBound}). An input alone above the token limit gets a batch of
     * its own, which the server judges.
     *
     * @param request the request
     * @param limits  the limits
     * @return the ranges as {@code {from, to}} pairs, {@code to} exclusive, covering every input in order
     */
    public static List<int[]> plan(EmbeddingRequest request, EmbeddingLimits limits) {
        int n = request.inputs().size();
        List<int[]> ranges = new ArrayList<>();
        int from = 0;
        long tokens = 0;
        for (int i = 0; i < n; i++) {
            long bound = EmbeddingLimits.tokenBound(request.inputs().get(i));
            if (i > from && (i - from >= limits.maxInputs() || tokens + bound > limits.maxTokens())) {
                ranges.add(new int[] {from, i});
                from = i;
                tokens = 0;
            }
            tokens += bound;
        }
        ranges.add(new int[] {from, n});
        return ranges;
    }

    /**
     * Runs a call in batches: {@link #plan}, then {@code batchCall} per batch with bounded concurrency.
     * A request that fits in one batch is passed to {@code batchCall} as is, and its failure is thrown as is.
     *
     * @param request   the request
     * @param limits    the limits
     * @param batchCall sends one batch that fits and returns its vectors
     * @return the joined response, vectors in input order, usage summed
     * @throws EmbeddingBatchException    when a batch of several failed
     * @throws MalformedResponseException when a batch's response has another number of vectors than inputs
     * @throws LlmException               when the calling thread is interrupted (the batches in flight are
     *                                    interrupted too), or the one batch failed
     */
    public static EmbeddingResponse run(EmbeddingRequest request, EmbeddingLimits limits,
                                        Function<EmbeddingRequest, EmbeddingResponse> batchCall) {
        Objects.requireNonNull(batchCall, "batchCall");
        List<int[]> ranges = plan(request, limits);
        if (ranges.size() == 1) {
            return checked(request, 0, batchCall.apply(request));
        }
        return new Run(request, ranges, batchCall).execute(Math.min(limits.concurrency(), ranges.size()));
    }

    private static EmbeddingResponse checked(EmbeddingRequest batch, int from, EmbeddingResponse response) {
        if (response == null || response.size() != batch.inputs().size()) {
            throw new MalformedResponseException("the embeddings response for inputs " + from + ".."
                    + (from + batch.inputs().size() - 1) + " has " + (response == null ? "no" : response.size())
                    + " vectors for " + batch.inputs().size() + " inputs", null, -1, null, null);
        }
        return response;
    }

    /** One batched call: its batches, their results and failures. */
    private static final class Run {
        private final EmbeddingRequest request;
        private final List<int[]> ranges;
        private final Function<EmbeddingRequest, EmbeddingResponse> batchCall;
        private final EmbeddingResponse[] results;
        private final RuntimeException[] failures;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger firstFailure = new AtomicInteger(-1);
        private final List<Thread> helpers = new ArrayList<>();
        private volatile boolean failed;

        Run(EmbeddingRequest request, List<int[]> ranges, Function<EmbeddingRequest, EmbeddingResponse> batchCall) {
            this.request = request;
            this.ranges = ranges;
            this.batchCall = batchCall;
            this.results = new EmbeddingResponse[ranges.size()];
            this.failures = new RuntimeException[ranges.size()];
        }

        EmbeddingResponse execute(int concurrency) {
            synchronized (helpers) {
                for (int i = 1; i < concurrency; i++) {
                    Thread t = new Thread(this::work, "alfred-embeddings-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    helpers.add(t);
                    t.start();
                }
            }
            work();
            boolean interrupted = false;
            for (Thread t : helpers) {
                while (true) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                        failed = true;
                        cancelHelpers();
                    }
                }
            }
            if (interrupted || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                throw new LlmException("the embeddings call was interrupted with " + ranges.size() + " batches"
                        + " planned; nothing is returned", null);
            }
            return outcome();
        }

        private void work() {
            while (!failed && !Thread.currentThread().isInterrupted()) {
                int b = next.getAndIncrement();
                if (b >= ranges.size()) {
                    return;
                }
                int[] range = ranges.get(b);
                EmbeddingRequest batch = request.slice(range[0], range[1]);
                try {
                    results[b] = checked(batch, range[0], batchCall.apply(batch));
                } catch (RuntimeException e) {
                    failures[b] = e;
                    failed = true;
                    if (firstFailure.compareAndSet(-1, b)) {
                        cancelHelpers();
                    }
                }
            }
        }

        /** Interrupts the helper threads but the current one, so that their sends in flight are cancelled. */
        private void cancelHelpers() {
            synchronized (helpers) {
                for (Thread t : helpers) {
                    if (t != Thread.currentThread()) {
                        t.interrupt();
                    }
                }
            }
        }

        private EmbeddingResponse outcome() {
            int firstBatch = firstFailure.get();
            if (firstBatch < 0) {
                return EmbeddingResponse.join(Arrays.asList(results));
            }
            RuntimeException first = failures[firstBatch];
            int[] range = ranges.get(firstBatch);
            RuntimeException thrown = first instanceof LlmException
                    ? new EmbeddingBatchException(firstBatch, ranges.size(), range[0], range[1], (LlmException) first)
                    : first;
            for (int b = 0; b < failures.length; b++) {
                if (b != firstBatch && failures[b] != null) {
                    thrown.addSuppressed(failures[b]);
                }
            }
            throw thrown;
        }
    }
}
