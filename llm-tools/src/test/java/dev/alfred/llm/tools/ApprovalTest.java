package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.KeyLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The approver: approve, deny with a reason the model sees, edit the arguments; blocking, and closable. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ApprovalTest {

    record Payment(int cents) {
    }

    private final List<Integer> paid = Collections.synchronizedList(new ArrayList<>());
    private final Tool<Payment> pay = Tool.of("pay", "Pays", Payment.class, p -> {
        paid.add(p.cents());
        return "paid " + p.cents();
    });

    private static ScriptedProvider twoPayments() {
        return new ScriptedProvider().then(ScriptedProvider.of(FinishReason.TOOL_CALLS,
                        new ChatDelta.ToolCallStart(0, "c1", "pay"), new ChatDelta.ToolCallArguments(0, "{\"cents\":100}"),
                        new ChatDelta.ToolCallStart(1, "c2", "pay"), new ChatDelta.ToolCallArguments(1, "{\"cents\":999}"),
                        new ChatDelta.ToolCallStart(2, "c3", "nope"), new ChatDelta.ToolCallArguments(2, "{}")))
                .then(ScriptedProvider.text("done"));
    }

    private static List<ToolLoopEvent> events(ToolRun run) {
        List<ToolLoopEvent> all = new ArrayList<>();
        run.forEach(all::add);
        return all;
    }

    @Test
    void eachCallFitToRunIsReviewedInOrderAndTheModelIsToldOfDenialsAndEdits() {
        List<String> reviewed = Collections.synchronizedList(new ArrayList<>());
        Approver approver = call -> {
            reviewed.add(call.id());
            return call.id().equals("c1") ? Approval.edit("{\"cents\":50}") : Approval.deny("the user said no");
        };
        List<ToolLoopEvent> events;
        try (ToolRun run = FakeClock.loop(twoPayments()).tool(pay).approver(approver).build().start(ChatRequest.of("pay"))) {
            events = events(run);
        }
        assertEquals(List.of("c1", "c2"), reviewed, "the unknown tool is not reviewed");
        assertEquals(List.of(50), paid);
        List<ToolLoopEvent.ToolCallReviewed> reviews = new ArrayList<>();
        List<ToolLoopEvent.ToolFinished> finished = new ArrayList<>();
        for (ToolLoopEvent e : events) {
            if (e instanceof ToolLoopEvent.ToolCallReviewed r) {
                reviews.add(r);
            } else if (e instanceof ToolLoopEvent.ToolFinished f) {
                finished.add(f);
            }
        }
        assertEquals(List.of(Approval.edit("{\"cents\":50}"), Approval.deny("the user said no")),
                reviews.stream().map(ToolLoopEvent.ToolCallReviewed::approval).toList());
        assertEquals("note: before the call ran, its arguments were changed to {\"cents\":50}\npaid 50",
                finished.get(0).result());
        assertTrue(finished.get(0).executed() && !finished.get(0).error());
        assertEquals("error: the call was not approved: the user said no. The tool was not run.", finished.get(1).result());
        assertTrue(finished.get(1).error() && !finished.get(1).executed());
        assertTrue(finished.get(2).result().startsWith("error: there is no tool named \"nope\""));
        int reviewIndex = events.indexOf(reviews.get(0));
        assertEquals(finished.get(0), events.get(reviewIndex + 1), "a call's review comes just before its result");
    }

    @Test
    void approvedCallsRunAndEditedArgumentsAreValidatedLikeTheModels() {
        try (ToolRun run = FakeClock.loop(twoPayments()).tool(pay)
                .approver(call -> call.id().equals("c1") ? Approval.approve() : Approval.edit("{\"euros\":1}"))
                .build().start(ChatRequest.of("pay"))) {
            run.response();
            assertEquals("note: before the call ran, its arguments were changed to {\"euros\":1}\nerror: the arguments do"
                    + " not fit the tool's parameters; the tool was not run:\n- /cents: required an integer is missing\n"
                    + "- /euros: Payment has no property \"euros\"", ((dev.alfred.llm.ToolMessage) run.transcript().get(3))
                    .content());
        }
        assertEquals(List.of(100), paid);
        assertSame(Approval.APPROVE, Approval.approve());
    }

    @Test
    void anApproverThatFailsDeniesTheCallAndTheFailureIsLoggedScrubbed() {
        String key = "sk-zq81Wv-0123456789abcdef";
        CapturedLogs.clear();
        try (ToolRun run = FakeClock.loop(twoPayments()).tool(pay).approver(call -> {
            if (call.id().equals("c1")) {
                throw new IllegalStateException("policy service refused " + key);
            }
            return null;
        }).build().start(ChatRequest.of("pay"))) {
            run.response();
            assertTrue(((dev.alfred.llm.ToolMessage) run.transcript().get(2)).content()
                    .startsWith("error: the call was not approved: the approval failed."));
            assertTrue(((dev.alfred.llm.ToolMessage) run.transcript().get(3)).content()
                    .startsWith("error: the call was not approved: the approval failed."), "null decides nothing");
        }
        assertEquals(List.of(), paid);
        List<CapturedLogs.Line> warnings = CapturedLogs.lines().stream().filter(l -> l.level().equals("WARN")).toList();
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).message().startsWith("the approver failed on a call of tool 'pay', which was not run:"
                + " policy service refused "), warnings.get(0).message());
        KeyLeaks.assertNone(key, "the log", warnings.get(0).text());
    }

    @Test
    void anApprovedCallRunsWhileTheNextIsUnderReview() throws Exception {
        CountDownLatch firstPaid = new CountDownLatch(1);
        Tool<Payment> payAndTell = Tool.of("pay", "Pays", Payment.class, p -> {
            paid.add(p.cents());
            firstPaid.countDown();
            return "paid";
        });
        Approver approver = call -> {
            if (call.id().equals("c2")) {
                firstPaid.await();
            }
            return Approval.approve();
        };
        try (ToolRun run = FakeClock.loop(twoPayments()).tool(payAndTell).approver(approver).build()
                .start(ChatRequest.of("pay"))) {
            assertEquals("done", run.response().content());
        }
        assertEquals(List.of(100, 999), paid);
    }

    @Test
    void aRunClosedWhileTheApproverWaitsForAPersonEndsAndInterruptsIt() throws Exception {
        CountDownLatch asking = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger reviews = new AtomicInteger();
        Approver person = call -> {
            reviews.incrementAndGet();
            asking.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return Approval.approve();
        };
        ToolRun run = FakeClock.loop(twoPayments()).tool(pay).approver(person).build().start(ChatRequest.of("pay"));
        CompletableFuture<ChatResponse> reader = CompletableFuture.supplyAsync(run::response);
        assertTrue(asking.await(5, TimeUnit.SECONDS));
        run.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
        LlmException failure = assertInstanceOf(LlmException.class, e.getCause());
        assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the approver was interrupted");
        assertTrue(run.executorTerminatedWithin(5, TimeUnit.SECONDS));
        assertEquals(1, reviews.get(), "no call reviewed after the close");
        assertEquals(List.of(), paid);
    }

    @Test
    void aDenialNeedsAReasonAndAnEditArguments() {
        assertThrows(IllegalArgumentException.class, () -> Approval.deny(" "));
        assertThrows(NullPointerException.class, () -> Approval.deny(null));
        assertThrows(NullPointerException.class, () -> Approval.edit(null));
        assertEquals("{}", ((Approval.Edited) Approval.edit("{}")).arguments());
        assertEquals("no", ((Approval.Denied) Approval.deny("no")).reason());
        ToolCall call = new ToolCall("c", "pay", "{}", ToolCall.Status.COMPLETE);
        assertThrows(NullPointerException.class, () -> new ToolLoopEvent.ToolCallReviewed(1, call, null));
        assertThrows(NullPointerException.class, () -> new ToolLoopEvent.ToolCallReviewed(1, null, Approval.approve()));
    }
}
