package dev.alfred.llm.http.internal;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that saw a protocol failure is replaced where the JDK can shut it down; a borrowed one never is. */
class RenewableClientTest {

    @Test
    void aFailedOwnedClientIsReplacedAndShutDownWhereTheJdkCan() throws Exception {
        AtomicReference<HttpClient> last = new AtomicReference<>();
        RenewableClient clients = RenewableClient.owned(() -> {
            HttpClient c = HttpClient.newHttpClient();
            last.set(c);
            return c;
        });
        HttpClient first = clients.current();
        clients.retire(first);
        if (RenewableClient.canRetire()) {
            assertNotSame(first, clients.current(), "the next exchange gets a fresh client");
            assertSame(last.get(), clients.current());
            assertTrue((Boolean) HttpClient.class.getMethod("awaitTermination", java.time.Duration.class)
                    .invoke(first, java.time.Duration.ofSeconds(20)), "the retired client was shut down");
            assertFalse((Boolean) HttpClient.class.getMethod("isTerminated").invoke(clients.current()),
                    "the fresh one is live");
            HttpClient second = clients.current();
            clients.retire(first);
            assertSame(second, clients.current(), "retiring a client already replaced changes nothing");
        } else {
            assertSame(first, clients.current(), "on JDK 17 retiring frees nothing, so the client is kept");
        }
        HttpClient borrowed = HttpClient.newHttpClient();
        RenewableClient theirs = RenewableClient.borrowed(borrowed);
        theirs.retire(borrowed);
        assertSame(borrowed, theirs.current(), "a client the caller owns is never replaced");
    }

    @Test
    void closeShutsAnOwnedClientDownWithoutWaitingAndLeavesABorrowedOneAlone() throws Exception {
        HttpClient owned = HttpClient.newHttpClient();
        RenewableClient.owned(() -> owned).close();
        HttpClient borrowed = HttpClient.newHttpClient();
        RenewableClient.borrowed(borrowed).close();
        if (RenewableClient.canRetire()) {
            assertTrue((Boolean) HttpClient.class.getMethod("isTerminated").invoke(owned) || (Boolean) HttpClient.class
                    .getMethod("awaitTermination", java.time.Duration.class).invoke(owned, java.time.Duration.ofSeconds(20)));
            assertFalse((Boolean) HttpClient.class.getMethod("isTerminated").invoke(borrowed));
        }
    }
}
