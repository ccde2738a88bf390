package io.github.vbackcam.core.tfjs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the test models are. Missing files are a failure that says where they belong, never a skip. */
final class TestModels {
  static final List<String> BODYPIX = List.of(
      "mobilenet-float-050-stride16", "mobilenet-float-050-stride8", "mobilenet-quant1-050-stride16",
      "mobilenet-quant1-075-stride16", "mobilenet-quant1-100-stride16", "mobilenet-quant2-050-stride16",
      "mobilenet-quant2-075-stride16");

  private TestModels() {}

  static Path shared() {
    String shared = System.getProperty("vbackcam.shared");
    if (shared == null) {
      throw new AssertionError("system property vbackcam.shared is not set (surefire sets it to <repo>/../shared)");
    }
    return Path.of(shared);
  }

  static Path bodyPix(String variant) {
    Path dir = shared().resolve("models/bodypix").resolve(variant);
    Path json = dir.resolve(variant.endsWith("stride8") ? "model-stride8.json" : "model-stride16.json");
    return require(json, "BodyPix variant " + variant);
  }

  static Path bodyPixIncomplete(String variant) {
    return require(shared().resolve("models/bodypix/json-only-incomplete").resolve(variant)
        .resolve("model-stride16.json"), "BodyPix topology " + variant);
  }

  /** selfie is bundled (target/classes); meet and rvm are test-only (target/models/NAME); fetch-models puts them. */
  static Path npmModel(String name) {
    String testModels = System.getProperty("vbackcam.testModels");
    if (testModels == null) {
      throw new AssertionError("system property vbackcam.testModels is not set (core/pom.xml sets it)");
    }
    Path json = !name.equals("selfie")
        ? Path.of(testModels, name, name + ".json")
        : Path.of(testModels).getParent().resolve("classes/io/github/vbackcam/core/models").resolve(name + ".json");
    return require(json, "model " + name + " (installed by core/src/build/fetch-models in generate-resources)");
  }

  /** src/test/resources/tfjs/synthetic: every rewrite the real models do not need; see generate.py there. */
  static Path synthetic() {
    try {
      return Path.of(TestModels.class.getResource("/tfjs/synthetic/model.json").toURI());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new AssertionError("test resource /tfjs/synthetic/model.json is missing", e);
    }
  }

  static Path image() {
    return require(shared().resolve("data/person_masks/davis2016_lucia/images/00000.jpg"), "test image");
  }

  static Path require(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(what + " is missing: expected it at " + file.toAbsolutePath());
    }
    return file;
  }
}
