package io.github.vbackcam.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.internal.FrameLeakDetector;
import io.github.vbackcam.core.source.VideoFileSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PipelineTest {

  @AfterEach
  void noFrameLeaks() {
    assertEquals(0, FrameLeakDetector.liveFrames(), () -> "leaked frames: " + FrameLeakDetector.liveAllocations());
  }

  @Test
  void everyDecodedFrameReachesTheSinkInOrderAndIsReleased() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (VideoFileSource source = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(320, 180), false)) {
      Pipeline.builder().source(source).stage(new PassStage("a")).stage(new PassStage("b")).sink(sink).build().run();
    }
    assertEquals(240, sink.sequences.size(), "a 10 s clip at 24 fps has 240 frames");
    for (int i = 0; i < sink.sequences.size(); i++) {
      assertEquals(i, sink.sequences.get(i));
    }
    assertEquals(List.of(320), sink.widths.stream().distinct().toList());
  }

  @Test
  void maxFramesStopsALoopingSource() throws Exception {
    RecordingSink sink = new RecordingSink();
    try (VideoFileSource source = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(64, 36), true)) {
      Pipeline.builder().source(source).sink(sink).maxFrames(300).build().run();
    }
    assertEquals(300, sink.sequences.size(), "the 240-frame clip loops to reach 300");
  }

  @Test
  void stopWakesASourceBlockedInRead() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    FrameSource quiet = new FrameSource() {
      @Override
      public Frame read() throws IOException {
        reading.countDown();
        try {
          never.await(); // a camera that has gone quiet: only an interrupt ends this
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the camera", e);
        }
        throw new AssertionError("unreachable");
      }

      @Override
      public VideoSize size() {
        return new VideoSize(64, 36);
      }

      @Override
      public double frameRate() {
        return 30;
      }

      @Override
      public String describe() {
        return "quiet camera";
      }

      @Override
      public void close() {}
    };
    Pipeline pipeline = Pipeline.builder().source(quiet).sink(new RecordingSink()).build();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        pipeline.run();
      } catch (Throwable t) {
        outcome.set(t);
      }
    });
    runner.start();
    assertTrue(reading.await(10, TimeUnit.SECONDS), "the source was never read");
    pipeline.stop();
    runner.join(10_000);
    assertFalse(runner.isAlive(), "run() still blocked in the source 10 s after stop()");
    assertNull(outcome.get(), "a source woken by stop() is not a failure");
  }

  @Test
  void stopBeforeRunEndsRunWithoutReadingAFrame() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    RecordingSink sink = new RecordingSink();
    try (VideoFileSource file = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(64, 36), true)) {
      FrameSource counting = new FrameSource() {
        @Override
        public Frame read() throws IOException {
          reads.incrementAndGet();
          return file.read();
        }

        @Override
        public VideoSize size() {
          return file.size();
        }

        @Override
        public double frameRate() {
          return file.frameRate();
        }

        @Override
        public String describe() {
          return file.describe();
        }

        @Override
        public void close() {}
      };
      // The service may stop a camera pipeline (the last app left) while another thread is just starting it.
      Pipeline pipeline = Pipeline.builder().source(counting).stage(new PassStage("a")).sink(sink).build();
      pipeline.stop();
      Thread runner = new Thread(() -> {
        try {
          pipeline.run();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      runner.start();
      runner.join(10_000);
      assertFalse(runner.isAlive(), "run() after stop() still running 10 s later");
    }
    assertEquals(0, reads.get(), "frames read after stop()");
    assertEquals(List.of(), sink.sequences);
  }

  @Test
  void aStageReturningNullIsNamedInTheError() throws Exception {
    Stage broken = new PassStage("broken") {
      @Override
      public Frame apply(Frame in) {
        in.close();
        return null;
      }
    };
    try (VideoFileSource source = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(64, 36), false)) {
      PipelineException e = assertThrows(PipelineException.class,
          () -> Pipeline.builder().source(source).stage(broken).sink(new RecordingSink()).build().run());
      assertEquals("stage 'broken' returned null for frame 0; return Frame.DROPPED to drop a frame", e.getMessage());
    }
  }

  @Test
  void aFailingStageStopsThePipelineAndItsFrameIsClosed() throws Exception {
    Stage failing = new PassStage("segment") {
      @Override
      public Frame apply(Frame in) {
        if (in.sequence() == 5) {
          throw new IllegalStateException("model exploded");
        }
        return in;
      }
    };
    try (VideoFileSource source = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(64, 36), false)) {
      PipelineException e = assertThrows(PipelineException.class,
          () -> Pipeline.builder().source(source).stage(failing).sink(new RecordingSink()).build().run());
      assertEquals("stage 'segment' failed on frame 5: model exploded", e.getMessage());
    }
  }

  @Test
  void droppedFramesAreReportedAndNotPassedOn() throws Exception {
    Stage everyOther = new PassStage("halve") {
      @Override
      public Frame apply(Frame in) {
        if (in.sequence() % 2 == 1) {
          in.close();
          return Frame.DROPPED;
        }
        return in;
      }
    };
    RecordingSink sink = new RecordingSink();
    AtomicInteger dropped = new AtomicInteger();
    EngineListener listener = new EngineListener() {
      @Override
      public void frameDropped(long sequence, String where) {
        assertEquals("halve", where);
        dropped.incrementAndGet();
      }
    };
    try (VideoFileSource source = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(64, 36), false)) {
      Pipeline.builder().source(source).stage(everyOther).sink(sink).listener(listener).build().run();
    }
    assertEquals(120, sink.sequences.size());
    assertEquals(120, dropped.get());
  }

  @Test
  void latestFrameModeDropsStaleFramesBehindASlowStage() throws Exception {
    Stage slow = new PassStage("slow") {
      @Override
      public Frame apply(Frame in) throws InterruptedException {
        Thread.sleep(5);
        return in;
      }
    };
    RecordingSink sink = new RecordingSink();
    AtomicInteger dropped = new AtomicInteger();
    EngineListener listener = new EngineListener() {
      @Override
      public void frameDropped(long sequence, String where) {
        dropped.incrementAndGet();
      }
    };
    try (VideoFileSource source = new VideoFileSource(TestData.tearsOfSteel(), new VideoSize(64, 36), false)) {
      Pipeline.builder().source(source).stage(slow).sink(sink).listener(listener).latestFrameOnly(true)
          .build().run();
    }
    assertTrue(dropped.get() > 0, "decoding 64x36 is far faster than 5 ms a frame, so frames must be dropped");
    assertEquals(240, sink.sequences.size() + dropped.get(), "every frame is either written or counted as dropped");
    List<Long> sorted = new ArrayList<>(sink.sequences);
    Collections.sort(sorted);
    assertEquals(sorted, sink.sequences, "frames never go backwards");
  }

  static class PassStage implements Stage {
    private final String name;

    PassStage(String name) {
      this.name = name;
    }

    @Override
    public Frame apply(Frame in) throws Exception {
      return in;
    }

    @Override
    public String name() {
      return name;
    }
  }

  static final class RecordingSink implements FrameSink {
    final List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> widths = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void write(Frame frame) {
      sequences.add(frame.sequence());
      widths.add(frame.width());
    }

    @Override
    public String describe() {
      return "recording";
    }

    @Override
    public void close() {}
  }
}
