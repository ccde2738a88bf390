package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.composite.Effects;
import io.github.vbackcam.core.segment.ModelCatalog;
import java.util.Iterator;

/**
 * The names the command line offers in help ({@code ${COMPLETION-CANDIDATES}}) and completion, taken from the
 * engine's own lists so that they are written in one place.
 */
public final class Choices {
  private Choices() {}

  /** The effect kinds: image, video, blur, color, none. */
  public static final class EffectKinds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Effects.NAMES.iterator();
    }
  }

  /** The models a user can name (a model.json path works too). */
  public static final class Models implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return ModelCatalog.NAMES.iterator();
    }
  }
}
