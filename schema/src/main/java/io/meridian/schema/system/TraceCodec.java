package io.meridian.schema.system;

import io.meridian.common.UuidBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Trace sessions as bytes, so a node can hand its finished sessions to another one: on a cluster a
 * driver reads {@code system_traces} from whichever node it picks, not necessarily the coordinator
 * that traced the request.
 *
 * <p>Layout: a format byte, a session count, then each session (id, command, client address or
 * none, duration, parameters, request or none, start in epoch microseconds, events: id, activity,
 * elapsed, thread or none). Sessions are written newest first and stop before the encoding would
 * pass {@code bytesMax}, so the newest ones always arrive.
 */
public final class TraceCodec {
  private static final byte FORMAT = 1;

  private TraceCodec() {}

  /** The newest of {@code sessions} (given oldest first, as {@link TraceStore#sessions} returns them) that fit. */
  public static byte[] encode(List<TraceStore.Session> sessions, int bytesMax) {
    List<byte[]> parts = new ArrayList<>();
    int total = 5;
    for (int i = sessions.size() - 1; i >= 0; i--) {
      byte[] one = encodeSession(sessions.get(i));
      if (total + one.length > bytesMax) {
        break;
      }
      parts.add(one);
      total += one.length;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(total);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(parts.size());
      for (byte[] p : parts) {
        out.write(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The sessions in {@code bytes}, oldest first. */
  public static List<TraceStore.Session> decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("trace sessions in format " + format + ", this node reads " + FORMAT);
      }
      int count = in.readInt();
      if (count < 0 || count > bytes.length) {
        throw new IllegalArgumentException("bad trace session count " + count);
      }
      List<TraceStore.Session> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        out.add(decodeSession(in));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " bytes after the last trace session");
      }
      Collections.reverse(out);
      return out;
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated trace sessions: " + e.getMessage(), e);
    }
  }

  private static byte[] encodeSession(TraceStore.Session s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      UuidBytes.write(out, s.sessionId());
      writeNullable(out, s.command());
      byte[] client = s.client() == null ? null : s.client().getAddress();
      out.writeByte(client == null ? 0 : client.length);
      if (client != null) {
        out.write(client);
      }
      out.writeInt(s.durationMicros());
      out.writeInt(s.parameters().size());
      for (Map.Entry<String, String> p : s.parameters().entrySet()) {
        writeString(out, p.getKey());
        writeNullable(out, p.getValue());
      }
      writeNullable(out, s.request());
      Instant at = s.startedAt();
      out.writeLong(at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000);
      out.writeInt(s.events().size());
      for (TraceStore.Event e : s.events()) {
        UuidBytes.write(out, e.eventId());
        writeString(out, e.activity());
        out.writeInt(e.elapsedMicros());
        writeNullable(out, e.thread());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static TraceStore.Session decodeSession(DataInputStream in) throws IOException {
    UUID id = UuidBytes.read(in);
    String command = readNullable(in);
    int clientLength = in.readUnsignedByte();
    InetAddress client = null;
    if (clientLength > 0) {
      byte[] address = in.readNBytes(clientLength);
      client = InetAddress.getByAddress(address);
    }
    int duration = in.readInt();
    int parameterCount = in.readInt();
    if (parameterCount < 0 || parameterCount > in.available()) {
      throw new IllegalArgumentException("bad trace parameter count " + parameterCount);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < parameterCount; i++) {
      parameters.put(readString(in), readNullable(in));
    }
    String request = readNullable(in);
    long micros = in.readLong();
    Instant startedAt = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    int eventCount = in.readInt();
    if (eventCount < 0 || eventCount > TraceStore.EVENTS_PER_SESSION_MAX) {
      throw new IllegalArgumentException("bad trace event count " + eventCount);
    }
    List<TraceStore.Event> events = new ArrayList<>(eventCount);
    for (int i = 0; i < eventCount; i++) {
      events.add(new TraceStore.Event(UuidBytes.read(in), readString(in), in.readInt(), readNullable(in)));
    }
    return new TraceStore.Session(id, command, client, duration, parameters, request, startedAt, events);
  }



  private static void writeNullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      writeString(out, s);
    }
  }

  /** Length-prefixed UTF-8 (not writeUTF: a traced query's text may pass its 64 KiB limit). */
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > in.available()) {
      throw new IllegalArgumentException("bad trace text length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? readString(in) : null;
  }
}
