package io.github.vbackcam.core;

/**
 * A value a user gave that its type does not accept. The value types (effects, mask settings) own their rules and
 * throw this; callers that know where the value came from (a configuration key, a D-Bus argument) quote it with
 * {@link #reason()}, so each rule is written once and reads the same everywhere.
 */
public final class BadValue extends IllegalArgumentException {

  private final String reason;

  /**
   * @param what the value's name in words, e.g. "blur radius"
   * @param value the value as given
   * @param reason what is wrong, e.g. "out of range 1-200"
   */
  public BadValue(String what, Object value, String reason) {
    super(what + " '" + value + "': " + reason);
    this.reason = reason;
  }

  /** What is wrong, without the value: "out of range 1-200". */
  public String reason() {
    return reason;
  }
}
