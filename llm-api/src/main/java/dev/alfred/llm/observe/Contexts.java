package dev.alfred.llm.observe;

import java.util.ArrayList;
import java.util.List;

/**
 * The contexts of several listeners as one: made current in the listeners' order, restored in the
 * reverse order. A listener's context that throws, on making or on closing, is logged through the chain
 * and skipped; it never breaks the call.
 */
final class Contexts implements ListenerContext {

    private final ListenerChain chain;
    private final ListenerContext[] contexts;
    private final int[] owners;

    private Contexts(ListenerChain chain, ListenerContext[] contexts, int[] owners) {
        this.chain = chain;
        this.contexts = contexts;
        this.owners = owners;
    }

    /**
     * The contexts given by the listeners at each index (null or {@link ListenerContext#NONE} where one
     * has none) as one context; {@link ListenerContext#NONE} when none has one, so that a call without
     * a context pays nothing.
     */
    static ListenerContext of(ListenerChain chain, ListenerContext[] perListener) {
        List<ListenerContext> kept = new ArrayList<>(perListener.length);
        List<Integer> owners = new ArrayList<>(perListener.length);
        for (int i = 0; i < perListener.length; i++) {
            if (perListener[i] != null && perListener[i] != ListenerContext.NONE) {
                kept.add(perListener[i]);
                owners.add(i);
            }
        }
        if (kept.isEmpty()) {
            return ListenerContext.NONE;
        }
        int[] o = new int[owners.size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = owners.get(i);
        }
        return new Contexts(chain, kept.toArray(new ListenerContext[0]), o);
    }

    @Override
    public Scope makeCurrent() {
        if (contexts.length == 1) {
            return open(0);
        }
        Scope[] opened = new Scope[contexts.length];
        for (int i = 0; i < contexts.length; i++) {
            opened[i] = open(i);
        }
        return () -> {
            for (int i = opened.length - 1; i >= 0; i--) {
                opened[i].close();
            }
        };
    }

    /** Makes one listener's context current; a scope that cannot throw, or NONE when that failed. */
    private Scope open(int i) {
        Scope s;
        try {
            s = contexts[i].makeCurrent();
        } catch (Throwable t) {
            chain.failed(owners[i], "makeCurrent", t);
            return Scope.NONE;
        }
        if (s == null || s == Scope.NONE) {
            return Scope.NONE;
        }
        int owner = owners[i];
        return () -> {
            try {
                s.close();
            } catch (Throwable t) {
                chain.failed(owner, "Scope.close", t);
            }
        };
    }

    @Override
    public String toString() {
        return "Contexts" + List.of(contexts);
    }
}
