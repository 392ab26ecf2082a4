package io.meridian.chaos.fault;

/** A trivial process for NodeProcessTest: prints a counter every 10 ms, forever. */
public final class TickerMain {
    private TickerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        for (long i = 0; ; i++) {
            System.out.println(i);
            System.out.flush();
            Thread.sleep(10);
        }
    }
}
