package io.github.vbackcam.core.composite;

import io.github.vbackcam.core.BadValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every effect by name, and the one way to read an effect from text: a kind and {@code key=value} parameters, as the
 * command line, the configuration, the remembered state and D-Bus's {@code SetEffect} all give them. The records
 * check the values; this class checks only names and the text form of numbers and switches.
 */
public final class Effects {

  /** The parameter every kind but none takes: draw the person as a hologram ({@code true} or {@code false}). */
  public static final String HOLOGRAM = "hologram";

  /** A kind: its name, the parameters it takes besides hologram, and how to make it. */
  private record Kind(String name, List<String> parameters, Function<Parameters, Effect> make) {}

  private static final List<Kind> KINDS = List.of(
      new Kind("image", List.of("path"), p -> new Effect.Image(p.path("path"), p.hologram())),
      new Kind("video", List.of("path"), p -> new Effect.Video(p.path("path"), p.hologram())),
      new Kind("blur", List.of("radius"), p -> new Effect.Blur(p.integer("radius", Effect.Blur.MIN_RADIUS,
          Effect.Blur.MAX_RADIUS), p.hologram())),
      new Kind("color", List.of("color"), p -> new Effect.Color(Effect.Color.parse(p.text("color")), p.hologram())),
      new Kind("none", List.of(), p -> new Effect.None()));

  /** The kinds' names, in the order they are documented. */
  public static final List<String> NAMES = KINDS.stream().map(Kind::name).toList();

  private Effects() {}

  /**
   * Makes the effect {@code kind} from {@code parameters}; an unknown kind, an unknown or missing parameter, or a
   * bad value is a {@link BadValue} that quotes it.
   */
  public static Effect parse(String kind, Map<String, String> parameters) {
    Kind k = kind(kind);
    Set<String> allowed = new TreeSet<>(k.parameters());
    if (!k.name().equals("none")) {
      allowed.add(HOLOGRAM);
    }
    for (String key : parameters.keySet()) {
      if (!allowed.contains(key)) {
        throw new BadValue("parameter", key, "effect " + k.name() + " takes "
            + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
      }
    }
    return k.make().apply(new Parameters(k.name(), parameters));
  }

  /**
   * Checks one parameter's value on its own, as a configuration key holds it: {@code check("radius", "0")} fails as
   * a blur of radius 0 would.
   */
  public static void check(String parameter, String value) {
    if (parameter.equals(HOLOGRAM)) {
      new Parameters(HOLOGRAM, Map.of(HOLOGRAM, value)).hologram();
      return;
    }
    Kind k = KINDS.stream().filter(x -> x.parameters().equals(List.of(parameter))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no effect takes just '" + parameter + "'"));
    k.make().apply(new Parameters(k.name(), Map.of(parameter, value)));
  }

  /** The parameters {@code kind} takes besides hologram, e.g. {@code [radius]} for blur. */
  public static List<String> parameters(String kind) {
    return kind(kind).parameters();
  }

  /** "image, video, blur, color or none": the kinds for messages and help. */
  public static String names() {
    return String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " or " + NAMES.get(NAMES.size() - 1);
  }

  private static Kind kind(String name) {
    for (Kind k : KINDS) {
      if (k.name().equals(name)) {
        return k;
      }
    }
    throw new BadValue("unknown mode", name, "expected " + names());
  }

  /** The given parameters of one kind, read with messages that name the kind and the key. */
  private record Parameters(String kind, Map<String, String> values) {
    String text(String key) {
      String v = values.get(key);
      if (v == null || v.isBlank()) {
        throw new BadValue("effect", kind, "needs " + key + "=...");
      }
      return v.trim();
    }

    Path path(String key) {
      return Path.of(text(key));
    }

    /**
     * A whole number in {@code min..max}. A number beyond that, even one too large for any integer type (D-Bus's
     * {@code u}, {@code x} and {@code t} reach this as their text), is out of range, not "not a whole number"; only
     * ASCII digits count, and a long one is judged by its length, so no amount of text costs more than reading it.
     */
    int integer(String key, int min, int max) {
      String v = text(key);
      String digits = v.startsWith("+") || v.startsWith("-") ? v.substring(1) : v;
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new BadValue(kind + " " + key, v, "not a whole number");
      }
      String significant = digits.replaceFirst("^0+(?=.)", "");
      long n = significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
      if (v.startsWith("-")) {
        n = -n;
      }
      if (n < min || n > max) {
        throw new BadValue(kind + " " + key, v, "out of range " + min + "-" + max);
      }
      return (int) n;
    }

    boolean hologram() {
      String v = values.getOrDefault(HOLOGRAM, "false").trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw new BadValue(HOLOGRAM, v, "expected true or false");
      };
    }
  }

}
