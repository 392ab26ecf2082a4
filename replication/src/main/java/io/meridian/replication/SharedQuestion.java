package io.meridian.replication;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One question at a time to a remote party, whose answer callers share, where each caller needs an
 * answer given after its call. A call made while no question is out sends one; calls made while a
 * question is out all wait for the next one, which is sent when the current one is answered (that
 * answer may predate them, so they must not take it). Under load one round trip answers many
 * callers; a lone caller waits one round trip, as if it had asked alone.
 *
 * @param <T> the answer
 */
final class SharedQuestion<T> {
  private final Supplier<CompletableFuture<T>> ask;
  private boolean out; // guarded by this
  private CompletableFuture<T> next; // guarded by this: the answer of the question after the one out

  SharedQuestion(Supplier<CompletableFuture<T>> ask) {
    this.ask = ask;
  }

  /** An answer to a question sent after this call. */
  CompletableFuture<T> answerAfterNow() {
    CompletableFuture<T> answer;
    synchronized (this) {
      if (out) {
        if (next == null) {
          next = new CompletableFuture<>();
        }
        return next;
      }
      out = true;
      answer = new CompletableFuture<>();
    }
    send(answer);
    return answer;
  }

  private void send(CompletableFuture<T> answer) {
    CompletableFuture<T> sent;
    try {
      sent = ask.get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((value, error) -> {
      CompletableFuture<T> following;
      synchronized (this) {
        following = next;
        next = null;
        out = following != null;
      }
      if (following != null) {
        send(following);
      }
      if (error != null) {
        answer.completeExceptionally(error);
      } else {
        answer.complete(value);
      }
    });
  }
}
