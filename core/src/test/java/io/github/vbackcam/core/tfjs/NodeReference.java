package io.github.vbackcam.core.tfjs;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs src/test/tfjs-reference/reference.mjs: TF.js's own CPU execution of a model. Its pinned node modules are
 * installed with {@code npm ci} into target/tfjs-reference the first time (only node and npm must exist).
 */
final class NodeReference {
  /** One output tensor as TF.js computed it. */
  record Tensor(long[] shape, float[] values) {}

  /** One model step: named float32 inputs with their shapes. */
  record Step(Map<String, Tensor> inputs) {}

  private static final String[] FILES = {"package.json", "package-lock.json", "reference.mjs"};

  private NodeReference() {}

  static synchronized Path install() throws IOException, InterruptedException {
    Path source = Path.of(property("vbackcam.tfjsReference"));
    Path work = Path.of(property("vbackcam.tfjsReferenceWork"));
    Files.createDirectories(work);
    boolean lockChanged = !Files.exists(work.resolve("package-lock.json"))
        || Files.mismatch(source.resolve("package-lock.json"), work.resolve("package-lock.json")) != -1;
    for (String file : FILES) {
      Files.copy(TestModels.require(source.resolve(file), "reference script file"), work.resolve(file),
          StandardCopyOption.REPLACE_EXISTING);
    }
    if (lockChanged || !Files.isDirectory(work.resolve("node_modules/@tensorflow/tfjs-converter"))) {
      run(work, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
    }
    return work;
  }

  /**
   * Runs the model for each step; inputs named in {@code feedback} are taken, from the second step on, from the
   * previous step's output of the mapped name. Returns per step the outputs in the order of {@code outputs}.
   */
  static List<List<Tensor>> run(Path modelJson, List<Step> steps, List<String> outputs, Map<String, String> feedback,
      Path scratch) throws IOException, InterruptedException {
    Path work = install();
    JsonObject request = new JsonObject();
    request.addProperty("model", modelJson.toAbsolutePath().toString());
    JsonArray outs = new JsonArray();
    outputs.forEach(outs::add);
    request.add("outputs", outs);
    JsonArray stepsJson = new JsonArray();
    for (int k = 0; k < steps.size(); k++) {
      JsonObject inputs = new JsonObject();
      int i = 0;
      for (Map.Entry<String, Tensor> in : steps.get(k).inputs().entrySet()) {
        Path file = scratch.resolve("step" + k + "_in" + i++ + ".f32");
        ByteBuffer bytes = ByteBuffer.allocate(in.getValue().values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(in.getValue().values());
        Files.write(file, bytes.array());
        JsonObject spec = new JsonObject();
        spec.addProperty("file", file.toString());
        JsonArray shape = new JsonArray();
        Arrays.stream(in.getValue().shape()).forEach(shape::add);
        spec.add("shape", shape);
        inputs.add(in.getKey(), spec);
      }
      JsonObject step = new JsonObject();
      step.add("inputs", inputs);
      stepsJson.add(step);
    }
    request.add("steps", stepsJson);
    JsonObject feedbackJson = new JsonObject();
    feedback.forEach(feedbackJson::addProperty);
    request.add("feedback", feedbackJson);
    request.addProperty("outDir", scratch.toString());
    Path requestFile = scratch.resolve("request.json");
    Files.writeString(requestFile, request.toString(), StandardCharsets.UTF_8);
    run(work, List.of("node", work.resolve("reference.mjs").toString(), requestFile.toString()), 600);

    List<List<Tensor>> result = new ArrayList<>();
    for (int k = 0; k < steps.size(); k++) {
      List<Tensor> stepOut = new ArrayList<>();
      for (int i = 0; i < outputs.size(); i++) {
        long[] shape = new Gson().fromJson(Files.readString(scratch.resolve("step" + k + "_out" + i + ".shape.json")),
            long[].class);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(scratch.resolve("step" + k + "_out" + i + ".f32")))
            .order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        stepOut.add(new Tensor(shape, values));
      }
      result.add(stepOut);
    }
    return result;
  }

  private static void run(Path dir, List<String> command, int timeoutSeconds) throws IOException,
      InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " timed out in " + dir + "\n" + output);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(command + " failed with exit code " + process.exitValue() + " in " + dir + "\n"
          + output);
    }
    System.err.print(output);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new AssertionError("system property " + name + " is not set (core/pom.xml's surefire config sets it)");
    }
    return value;
  }

  static Map<String, Tensor> inputs() {
    return new LinkedHashMap<>();
  }
}
