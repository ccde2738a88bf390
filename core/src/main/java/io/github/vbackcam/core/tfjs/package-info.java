/**
 * TensorFlow.js graph models run through DJL, offline, in TensorFlow or ONNX Runtime.
 *
 * <pre>
 *   model.json + shards ──TfjsModel.read──▶ GraphDef + dequantized weights + input/output names
 *        │                                        │
 *        │                       GraphRewriter: weights into Consts, fused/TF.js-only ops split into core ops,
 *        │                       TF.js dilation semantics (attrs checked against TF's own op registry for TF)
 *        │                           │                                   │
 *        │                    SavedModelWriter                 OnnxConverter ──▶ OnnxModel (onnx.proto by hand)
 *        ▼                           ▼                                   ▼
 *   contentHash ──ModelCache──▶ $XDG_CACHE_HOME/vbackcam/models/&lt;hash&gt;/saved_model.pb
 *                               or .../&lt;hash&gt;-onnx1/model.onnx (each written atomically)
 *                                                 │
 *            GraphModel.load: DJL engine "TensorFlow" (Criteria) or "OnnxRuntime" (OrtSessions), SessionOptions
 *                                                 ▼
 *                                  Predictor&lt;NDList, NDList&gt;: inputs and outputs by name
 *                                  InPlaceRun (ONNX Runtime): a frame's matrix in, one bound output matrix out
 * </pre>
 *
 * <p>The graph parsed from model.json is cached too, in protobuf's binary form ({@code <json hash>-graph1}), so a
 * start with a converted model does not parse JSON into protobuf. The ONNX path never loads TensorFlow's natives.
 * Every reference is non-null unless documented otherwise.
 */
package io.github.vbackcam.core.tfjs;
