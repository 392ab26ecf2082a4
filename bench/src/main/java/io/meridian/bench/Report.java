package io.meridian.bench;

import io.meridian.bench.Workload.OpKind;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Renders a run's outcome: a table on stdout, and optionally a JSON file or a markdown row. */
final class Report {

  static final String MARKDOWN_HEADER =
      "| workload | system | ops/s | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors | misses |\n"
      + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";

  private final BenchConfig config;
  private final LoadRunner.Result result;
  private final Histogram all;

  Report(BenchConfig config, LoadRunner.Result result) {
    this.config = config;
    this.result = result;
    this.all = result.measured().combined();
  }

  double opsPerSec() {
    return all.getTotalCount() / result.measuredS();
  }

  void print(PrintStream out) {
    OpStats.Snapshot s = result.measured();
    out.printf(Locale.ROOT, "%nworkload=%s system=%s duration=%.1fs concurrency=%d threads=%d"
            + " consistency=%s rate=%s%n",
        config.workload().label(), config.label(), result.measuredS(), config.concurrency(),
        config.threads(), config.consistency(),
        config.rateOpsPerSec() > 0 ? config.rateOpsPerSec() + "/s" : "max");
    out.printf(Locale.ROOT, "%-6s %10s %11s %9s %9s %9s %9s %9s %8s %8s%n", "op", "count",
        "ops/s", "p50 ms", "p95 ms", "p99 ms", "p999 ms", "max ms", "errors", "misses");
    for (OpKind kind : OpKind.values()) {
      Histogram h = s.latencyUs().get(kind);
      if (h.getTotalCount() == 0 && s.errors().get(kind) == 0) {
        continue;
      }
      printRow(out, kind.name().toLowerCase(Locale.ROOT), h, s.errors().get(kind),
          s.misses().get(kind));
    }
    printRow(out, "all", all, s.errorTotal(), s.missTotal());
    if (!s.errorsByType().isEmpty()) {
      out.println("errors by type: " + s.errorsByType());
    }
    if (result.warmupErrors() > 0) {
      out.println("warm-up errors (not counted above): " + result.warmupErrors());
    }
    if (s.clampedCount() > 0) {
      out.printf("latencies above %d us clamped: %d%n", OpStats.LATENCY_US_MAX, s.clampedCount());
    }
    if (result.inFlightLeft() > 0) {
      out.println("WARNING: requests still in flight at the end: " + result.inFlightLeft());
    }
  }

  private void printRow(PrintStream out, String name, Histogram h, long errors, long misses) {
    out.printf(Locale.ROOT, "%-6s %10d %11.0f %9.3f %9.3f %9.3f %9.3f %9.3f %8d %8d%n", name,
        h.getTotalCount(), h.getTotalCount() / result.measuredS(), ms(h, 50), ms(h, 95),
        ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0, errors, misses);
  }

  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (file.getFileName().toString().endsWith(".json")) {
      Files.writeString(file, json(), StandardCharsets.UTF_8);
      return;
    }
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    String row = (fresh ? MARKDOWN_HEADER : "") + markdownRow() + "\n";
    Files.writeString(file, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  String markdownRow() {
    OpStats.Snapshot s = result.measured();
    return String.format(Locale.ROOT, "| %s | %s | %.0f | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %d |",
        config.workload().label(), config.label(), opsPerSec(), ms(all, 50), ms(all, 95),
        ms(all, 99), ms(all, 99.9), all.getMaxValue() / 1000.0, s.errorTotal(), s.missTotal());
  }

  /**
   * Flat JSON with one top-level field per line, so shell scripts can pick fields with grep when
   * jq is not installed. The "all_*" fields cover every operation kind together.
   */
  String json() {
    OpStats.Snapshot s = result.measured();
    StringBuilder b = new StringBuilder("{\n");
    field(b, "workload", quote(config.workload().label()));
    field(b, "system", quote(config.label()));
    field(b, "host", quote(config.host()));
    field(b, "port", Integer.toString(config.port()));
    field(b, "consistency", quote(config.consistency().name()));
    field(b, "concurrency", Integer.toString(config.concurrency()));
    field(b, "threads", Integer.toString(config.threads()));
    field(b, "keys", Long.toString(config.keys()));
    field(b, "rate_ops_per_s", Long.toString(config.rateOpsPerSec()));
    field(b, "seed", Long.toString(config.seed()));
    field(b, "warmup_s", Integer.toString(config.warmupS()));
    field(b, "duration_s", num(result.measuredS()));
    field(b, "ops", Long.toString(all.getTotalCount()));
    field(b, "ops_per_s", num(opsPerSec()));
    field(b, "errors", Long.toString(s.errorTotal()));
    field(b, "misses", Long.toString(s.missTotal()));
    field(b, "warmup_errors", Long.toString(result.warmupErrors()));
    field(b, "all_p50_ms", num(ms(all, 50)));
    field(b, "all_p95_ms", num(ms(all, 95)));
    field(b, "all_p99_ms", num(ms(all, 99)));
    field(b, "all_p999_ms", num(ms(all, 99.9)));
    field(b, "all_max_ms", num(all.getMaxValue() / 1000.0));
    StringBuilder ops = new StringBuilder("{");
    String sep = "";
    for (OpKind kind : OpKind.values()) {
      Histogram h = s.latencyUs().get(kind);
      ops.append(sep).append(quote(kind.name().toLowerCase(Locale.ROOT))).append(": {")
          .append("\"count\": ").append(h.getTotalCount())
          .append(", \"errors\": ").append(s.errors().get(kind))
          .append(", \"misses\": ").append(s.misses().get(kind))
          .append(", \"p50_ms\": ").append(num(ms(h, 50)))
          .append(", \"p95_ms\": ").append(num(ms(h, 95)))
          .append(", \"p99_ms\": ").append(num(ms(h, 99)))
          .append(", \"p999_ms\": ").append(num(ms(h, 99.9)))
          .append(", \"max_ms\": ").append(num(h.getMaxValue() / 1000.0))
          .append("}");
      sep = ", ";
    }
    field(b, "by_op", ops.append("}").toString());
    StringBuilder types = new StringBuilder("{");
    sep = "";
    for (Map.Entry<String, Long> e : s.errorsByType().entrySet()) {
      types.append(sep).append(quote(e.getKey())).append(": ").append(e.getValue());
      sep = ", ";
    }
    b.append("  \"errors_by_type\": ").append(types).append("}\n}\n");
    return b.toString();
  }

  private static void field(StringBuilder b, String name, String value) {
    b.append("  \"").append(name).append("\": ").append(value).append(",\n");
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static String num(double value) {
    return String.format(Locale.ROOT, "%.3f", value);
  }

  private static String quote(String text) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
