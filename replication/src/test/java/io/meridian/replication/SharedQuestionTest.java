package io.meridian.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SharedQuestionTest {
  /** Questions sent, in order; the test answers them by hand. */
  private final List<CompletableFuture<Integer>> sent = new ArrayList<>();
  private final SharedQuestion<Integer> question = new SharedQuestion<>(() -> {
    CompletableFuture<Integer> q = new CompletableFuture<>();
    sent.add(q);
    return q;
  });

  @Test
  void aLoneCallerSendsAQuestionAndGetsItsAnswer() throws Exception {
    CompletableFuture<Integer> answer = question.answerAfterNow();
    assertEquals(1, sent.size());
    sent.get(0).complete(7);
    assertEquals(7, answer.get());
  }

  @Test
  void callersWhileAQuestionIsOutShareTheNextOneNotTheOneOut() throws Exception {
    CompletableFuture<Integer> first = question.answerAfterNow();
    CompletableFuture<Integer> second = question.answerAfterNow();
    CompletableFuture<Integer> third = question.answerAfterNow();
    assertEquals(1, sent.size(), "one question out at a time");
    assertSame(second, third, "callers after the question went out share the next one");

    sent.get(0).complete(1);
    assertEquals(1, first.get());
    assertFalse(second.isDone(), "the answer to a question sent before the call is not taken");
    assertEquals(2, sent.size(), "the next question goes out once the first is answered");

    sent.get(1).complete(2);
    assertEquals(2, second.get());
    assertEquals(2, sent.size(), "nobody waiting: no third question");

    CompletableFuture<Integer> fourth = question.answerAfterNow();
    assertEquals(3, sent.size(), "a caller with no question out sends one at once");
    sent.get(2).complete(3);
    assertEquals(3, fourth.get());
  }

  @Test
  void aFailedQuestionFailsItsCallersOnlyAndTheNextIsStillSent() throws Exception {
    CompletableFuture<Integer> first = question.answerAfterNow();
    CompletableFuture<Integer> second = question.answerAfterNow();
    sent.get(0).completeExceptionally(new IllegalStateException("leader gone"));
    ExecutionException failed = assertThrows(ExecutionException.class, first::get);
    assertTrue(failed.getCause() instanceof IllegalStateException);
    assertEquals(2, sent.size());
    sent.get(1).complete(5);
    assertEquals(5, second.get());
  }

  @Test
  void aQuestionThatCannotBeSentFailsItsCaller() {
    SharedQuestion<Integer> broken = new SharedQuestion<>(() -> {
      throw new IllegalStateException("client closed");
    });
    ExecutionException failed = assertThrows(ExecutionException.class, () -> broken.answerAfterNow().get());
    assertTrue(failed.getCause() instanceof IllegalStateException);
    // Not stuck "out": the next caller asks again.
    assertThrows(ExecutionException.class, () -> broken.answerAfterNow().get());
  }
}
