package io.github.vbackcam.core.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Recycles native image buffers by size and type. A 720p BGR frame is 2.7 MB: allocating one per frame means an
 * mmap, page faults and an munmap each time, which costs more than the copy it holds.
 */
public final class MatPool {
  private static final int MAX_PER_SHAPE = 16;
  private static final Map<Long, Deque<Mat>> FREE = new HashMap<>();

  private MatPool() {}

  public static Mat take(int rows, int cols, int type) {
    synchronized (FREE) {
      Deque<Mat> free = FREE.get(key(rows, cols, type));
      if (free != null && !free.isEmpty()) {
        return free.pop();
      }
    }
    return new Mat(rows, cols, type);
  }

  public static void give(Mat mat) {
    synchronized (FREE) {
      Deque<Mat> free = FREE.computeIfAbsent(key(mat.rows(), mat.cols(), mat.type()), k -> new ArrayDeque<>());
      if (free.size() < MAX_PER_SHAPE) {
        free.push(mat);
        return;
      }
    }
    mat.close();
  }

  private static long key(int rows, int cols, int type) {
    return ((long) rows << 40) | ((long) cols << 16) | type;
  }
}
