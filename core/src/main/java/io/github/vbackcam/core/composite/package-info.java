/**
 * What goes behind the person: {@link io.github.vbackcam.core.composite.Effect} (the user's choice as a value),
 * {@link io.github.vbackcam.core.composite.Effects} (the one registry that reads effects from text), the
 * {@link io.github.vbackcam.core.composite.Background}s that draw them, and the stage that blends the person over
 * them. A new effect is one record, one background class and one registry line.
 *
 * <p>Moving backgrounds (videos, animated images) run on a {@code MediaClock} fed by the frames' presentation
 * times, never by counting frames; transparent parts of a picture show the real scene.
 */
package io.github.vbackcam.core.composite;
