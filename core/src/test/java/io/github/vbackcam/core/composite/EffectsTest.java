package io.github.vbackcam.core.composite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.BadValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectsTest {

  @Test
  void everyEffectReadsBackFromItsKindAndParameters() {
    List<Effect> effects = List.of(new Effect.Image(Path.of("/x/studio.png"), false),
        new Effect.Video(Path.of("/x/beach.mp4"), true), new Effect.Blur(20, false), new Effect.Blur(200, true),
        new Effect.Color(0x00b140, true), new Effect.None());
    for (Effect e : effects) {
      assertEquals(e, Effects.parse(e.kind(), e.parameters()), e.toString());
    }
    assertEquals(List.of("image", "video", "blur", "color", "none"), Effects.NAMES);
  }

  @Test
  void theTextFormsAreTheUsualOnes() {
    assertEquals("blur 20", Effects.parse("blur", Map.of("radius", "20")).toString());
    assertEquals("color #00b140 + hologram",
        Effects.parse("color", Map.of("color", "00B140", "hologram", "yes")).toString(), "the # is optional");
    assertEquals(new Effect.Color(0x00b140, false), Effects.parse("color", Map.of("color", "#00b140")));
    assertEquals("image /x.png", Effect.file(Path.of("/x.png"), false).toString());
    assertEquals("video /x.webm", Effect.file(Path.of("/x.webm"), false).toString());
  }

  @Test
  void badInputIsRejectedWithAMessageQuotingIt() {
    String[][] cases = {
        {"sepia", "", "", "unknown mode 'sepia': expected image, video, blur, color or none"},
        {"blur", "radius", "0", "blur radius '0': out of range 1-200"},
        {"blur", "radius", "201", "blur radius '201': out of range 1-200"},
        {"blur", "radius", "wide", "blur radius 'wide': not a whole number"},
        {"color", "color", "green", "colour 'green': expected #rrggbb"},
        {"color", "radius", "3", "parameter 'radius': effect color takes color, hologram"},
        {"none", "hologram", "true", "parameter 'hologram': effect none takes none"},
        {"image", "hologram", "maybe", "effect 'image': needs path=..."},
        {"blur", "hologram", "maybe", "effect 'blur': needs radius=..."},
    };
    for (String[] c : cases) {
      Map<String, String> params = c[1].isEmpty() ? Map.of() : Map.of(c[1], c[2]);
      BadValue e = assertThrows(BadValue.class, () -> Effects.parse(c[0], params), c[0] + " " + params);
      assertEquals(c[3], e.getMessage());
    }
    BadValue h = assertThrows(BadValue.class,
        () -> Effects.parse("blur", Map.of("radius", "3", "hologram", "maybe")));
    assertEquals("hologram 'maybe': expected true or false", h.getMessage());
    assertEquals("out of range 1-200", assertThrows(BadValue.class, () -> Effects.check("radius", "0")).reason());
  }

  @Test
  void aWholeNumberBeyondAnyIntegerTypeIsOutOfRangeNotMalformed() {
    // As D-Bus delivers them: SetBlur's u at its largest, SetEffect's x and t beyond what an int or a long holds.
    for (String radius : List.of("4294967295", "4294967316", "18446744073709551615", "-1", "+201",
        "-9223372036854775809", "000000000000000000000000000000000000000000000000000000000000000000000000000300")) {
      BadValue e = assertThrows(BadValue.class, () -> Effects.parse("blur", Map.of("radius", radius)), radius);
      assertEquals("blur radius '" + radius + "': out of range 1-200", e.getMessage());
      assertEquals("out of range 1-200", assertThrows(BadValue.class, () -> Effects.check("radius", radius))
          .reason());
    }
    String huge = "9".repeat(1 << 20);
    long start = System.nanoTime();
    assertEquals("out of range 1-200",
        assertThrows(BadValue.class, () -> Effects.parse("blur", Map.of("radius", huge))).reason());
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "a million digits took over a second");
    for (String radius : List.of("1e3", "12.0", "0x10", "--5", "+", "\u0663")) {
      assertEquals("not a whole number", assertThrows(BadValue.class,
          () -> Effects.parse("blur", Map.of("radius", radius)), radius).reason());
    }
    assertEquals(new Effect.Blur(5, false), Effects.parse("blur", Map.of("radius", "+05")));
    assertEquals(new Effect.Blur(200, false), Effects.parse("blur", Map.of("radius", " 200 ")));
  }
}
