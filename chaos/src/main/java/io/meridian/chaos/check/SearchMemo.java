package io.meridian.chaos.check;

/**
 * The set of (linearized ops, register state) configurations already explored, as an
 * open-addressing hash set of long triples: two independent 64-bit hashes of the op set and the
 * state. Keeping hashes instead of bit sets makes an entry 24 bytes whatever the history length;
 * two sets colliding on 128 random bits is not a practical concern.
 */
final class SearchMemo {
    private static final float LOAD_MAX = 0.5f;
    private long[] a;
    private long[] b;
    private long[] c;
    private boolean[] used;
    private int size;

    SearchMemo(int initialCapacity) {
        int cap = Integer.highestOneBit(Math.max(16, initialCapacity) - 1) << 1;
        allocate(cap);
    }

    int size() {
        return size;
    }

    /** Adds the triple; false if it was already there. */
    boolean add(long x, long y, long z) {
        if (size + 1 > used.length * LOAD_MAX) {
            grow();
        }
        return insert(x, y, z);
    }

    private boolean insert(long x, long y, long z) {
        int mask = used.length - 1;
        int i = (int) mix(x, y, z) & mask;
        while (used[i]) {
            if (a[i] == x && b[i] == y && c[i] == z) {
                return false;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        a[i] = x;
        b[i] = y;
        c[i] = z;
        size++;
        return true;
    }

    private void grow() {
        long[] oa = a;
        long[] ob = b;
        long[] oc = c;
        boolean[] ou = used;
        allocate(used.length * 2);
        for (int i = 0; i < ou.length; i++) {
            if (ou[i]) {
                insert(oa[i], ob[i], oc[i]);
            }
        }
    }

    private void allocate(int cap) {
        a = new long[cap];
        b = new long[cap];
        c = new long[cap];
        used = new boolean[cap];
        size = 0;
    }

    private static long mix(long x, long y, long z) {
        long h = x * 0x9E3779B97F4A7C15L ^ y;
        h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L ^ z;
        h = (h ^ (h >>> 32)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
