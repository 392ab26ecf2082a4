package io.meridian.schema.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The node's host id, drawn once and kept in {@code host_id} (one line, the UUID text) so that
 * drivers see the same node across restarts. Written with the same temp + fsync + rename + dir
 * fsync sequence as the schema file.
 */
public final class HostIdStore {
  public static final String FILE_NAME = "host_id";

  private HostIdStore() {}

  public static UUID loadOrCreate(Path directory, Supplier<UUID> newId) throws IOException {
    Path file = directory.resolve(FILE_NAME);
    if (Files.exists(file)) {
      String text = Files.readString(file, StandardCharsets.UTF_8).trim();
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("Corrupt host id file " + file + ": '" + text + "'", e);
      }
    }
    UUID id = newId.get();
    Files.createDirectories(directory);
    Path temp = directory.resolve(FILE_NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ch.write(StandardCharsets.UTF_8.encode(id + "\n"));
      ch.force(true);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
    return id;
  }
}
