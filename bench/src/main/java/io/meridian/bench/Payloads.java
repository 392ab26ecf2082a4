package io.meridian.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * A fixed pool of pseudo-random column values, built once from the run seed so the generator
 * spends its time sending requests rather than producing strings. Values are picked by index.
 */
final class Payloads {

  static final int POOL_SIZE = 1024;
  static final int TEXT_CHARS = 48;
  static final int BLOB_BYTES = 32;

  private static final char[] ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  private final String[] texts = new String[POOL_SIZE];
  private final ByteBuffer[] blobs = new ByteBuffer[POOL_SIZE];

  Payloads(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < POOL_SIZE; i++) {
      char[] chars = new char[TEXT_CHARS];
      for (int c = 0; c < TEXT_CHARS; c++) {
        chars[c] = ALPHABET[random.nextInt(ALPHABET.length)];
      }
      texts[i] = new String(chars);
      byte[] bytes = new byte[BLOB_BYTES];
      for (int b = 0; b < BLOB_BYTES; b++) {
        bytes[b] = (byte) random.nextInt(256);
      }
      blobs[i] = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
  }

  String text(SplittableRandom random) {
    return texts[random.nextInt(POOL_SIZE)];
  }

  String text(long index) {
    return texts[(int) Math.floorMod(index, (long) POOL_SIZE)];
  }

  /** A private view: the driver may move the position of the buffer it is given. */
  ByteBuffer blob(SplittableRandom random) {
    return blobs[random.nextInt(POOL_SIZE)].duplicate();
  }

  ByteBuffer blob(long index) {
    return blobs[(int) Math.floorMod(index, (long) POOL_SIZE)].duplicate();
  }
}
