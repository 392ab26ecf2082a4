package io.meridian.it;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Netty buffer leak fail the build instead of only being logged. Registered for every
 * test class through the JUnit extension service file; it installs its leak detector factory
 * before Netty creates its detectors, so both the server's and the driver's buffers are tracked
 * (PARANOID: every buffer). A leak is reported when the leaked buffer is garbage collected, so
 * after each class we collect and allocate a few buffers to let pending reports surface.
 */
public final class LeakCheckExtension implements AfterAllCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<>(resource, samplingInterval) {
          @Override
          protected boolean needReport() {
            return true;
          }

          @Override
          protected void reportTracedLeak(String type, String records) {
            LEAKS.add(type + " leaked:" + records);
          }

          @Override
          protected void reportUntracedLeak(String type) {
            LEAKS.add(type + " leaked (no records)");
          }
        };
      }
    });
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int round = 0; round < 3 && LEAKS.isEmpty(); round++) {
      System.gc();
      Thread.sleep(50);
      for (int i = 0; i < 16; i++) {
        PooledByteBufAllocator.DEFAULT.buffer(8).release(); // each allocation polls for collected leaks
      }
    }
    if (!LEAKS.isEmpty()) {
      List<String> found = new ArrayList<>(LEAKS);
      LEAKS.clear();
      throw new AssertionError("Netty buffer leak(s) seen while running " + context.getDisplayName()
          + " or an earlier class:\n" + String.join("\n", found));
    }
  }
}
