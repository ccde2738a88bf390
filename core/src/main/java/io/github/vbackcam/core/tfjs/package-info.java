/**
 * TensorFlow.js graph models run in TensorFlow through DJL, offline.
 *
 * <pre>
 *   model.json + shards ──TfjsModel.read──▶ GraphDef + dequantized weights + input/output names
 *        │                                        │
 *        │                       GraphRewriter: weights into Consts, fused/TF.js-only ops split into core ops,
 *        │                       TF.js dilation semantics, attrs checked against TF's own op registry
 *        ▼                                        ▼
 *   contentHash ──ModelCache──▶ $XDG_CACHE_HOME/vbackcam/models/&lt;hash&gt;/saved_model.pb (written atomically)
 *                                                 │
 *                                  GraphModel.load: DJL Criteria, engine "TensorFlow", SessionOptions
 *                                                 ▼
 *                                  Predictor&lt;NDList, NDList&gt;: inputs and outputs by name
 * </pre>
 *
 * <p>Every reference is non-null unless documented otherwise.
 */
package io.github.vbackcam.core.tfjs;
