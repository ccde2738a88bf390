package io.github.vbackcam.core.internal;

import io.github.vbackcam.core.Frame;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * The queue between two pipeline threads. {@code BLOCK} waits for room, so nothing is lost (file rendering).
 * {@code LATEST} keeps only the newest frame and closes the one it replaces (a live camera: a slow stage always gets
 * the freshest frame, never a backlog).
 */
public final class Handoff {

  public enum Policy { BLOCK, LATEST }

  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  private final Policy policy;
  private final int capacity;
  private final LongConsumer onDrop;
  private boolean ended;
  private boolean aborted;

  public Handoff(Policy policy, int capacity, LongConsumer onDrop) {
    this.policy = policy;
    this.capacity = policy == Policy.LATEST ? 1 : capacity;
    this.onDrop = onDrop;
  }

  /** Hands a frame on (ownership moves to the queue). Returns false, having closed it, after {@link #abort}. */
  public boolean put(Frame frame) throws InterruptedException {
    Frame dropped = null;
    synchronized (this) {
      try {
        while (!aborted && policy == Policy.BLOCK && frames.size() >= capacity) {
          wait();
        }
      } catch (InterruptedException e) {
        frame.close(); // the frame was handed over: an interrupted put (Pipeline.stop) must not leak it
        throw e;
      }
      if (aborted) {
        frame.close();
        return false;
      }
      if (frames.size() >= capacity) {
        dropped = frames.pollFirst();
      }
      frames.addLast(frame);
      notifyAll();
    }
    if (dropped != null) {
      long sequence = dropped.sequence();
      dropped.close();
      onDrop.accept(sequence);
    }
    return true;
  }

  /** The next frame (ownership moves to the caller), or null once the stream has ended or was aborted. */
  public synchronized Frame take() throws InterruptedException {
    while (frames.isEmpty() && !ended && !aborted) {
      wait();
    }
    if (aborted || frames.isEmpty()) {
      return null;
    }
    Frame frame = frames.pollFirst();
    notifyAll();
    return frame;
  }

  /** No more frames will come; the reader drains what is queued, then sees the end. */
  public synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** Stops both sides now and closes whatever is queued. */
  public void abort() {
    ArrayDeque<Frame> left;
    synchronized (this) {
      aborted = true;
      left = new ArrayDeque<>(frames);
      frames.clear();
      notifyAll();
    }
    left.forEach(Frame::close);
  }
}
