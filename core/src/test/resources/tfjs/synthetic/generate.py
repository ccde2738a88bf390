#!/usr/bin/env python3
"""Generates model.json + group1-shard1of1.bin: a small TF.js graph model built to exercise every rewrite and weight
encoding the converter handles that the real models do not (Prelu, fused Prelu/LeakyRelu/Relu6, _FusedMatMul, a
TF.js-style dilated depthwise conv, a transposed conv, float16/uint8/uint16 quantization, int32 weights). Output is committed; rerun
only to change the model."""
import base64, json
import numpy as np

rng = np.random.default_rng(20240611)
nodes, weights, blobs = [], [], []

def b64(s):
    return base64.b64encode(s.encode()).decode()

def ints(*v):
    return {"list": {"i": [str(x) for x in v]}}

FLOAT = {"type": "DT_FLOAT"}

def const(name, values, quant=None, dtype="float32"):
    values = np.asarray(values, dtype=np.float32 if dtype == "float32" else np.int32)
    dt = "DT_FLOAT" if dtype == "float32" else "DT_INT32"
    nodes.append({"name": name, "op": "Const", "attr": {
        "value": {"tensor": {"dtype": dt, "tensorShape": {"dim": [{"size": str(d)} for d in values.shape]}}},
        "dtype": {"type": dt}}})
    spec = {"name": name, "shape": list(values.shape), "dtype": dtype}
    if quant == "float16":
        spec["quantization"] = {"dtype": "float16"}
        blobs.append(values.astype("<f2").tobytes())
    elif quant in ("uint8", "uint16"):
        lo, hi = float(values.min()), float(values.max())
        levels = 255 if quant == "uint8" else 65535
        scale = (hi - lo) / levels
        q = np.round((values - lo) / scale).astype("<u1" if quant == "uint8" else "<u2")
        spec["quantization"] = {"dtype": quant, "min": lo, "scale": scale}
        blobs.append(q.tobytes())
    else:
        blobs.append(values.astype("<f4" if dtype == "float32" else "<i4").tobytes())
    weights.append(spec)
    return name

def node(name, op, inputs, **attr):
    nodes.append({"name": name, "op": op, "input": inputs, "attr": attr})
    return name

conv_attrs = dict(T=FLOAT, strides=ints(1, 1, 1, 1), padding={"s": b64("SAME")}, data_format={"s": b64("NHWC")},
                  dilations=ints(1, 1, 1, 1), explicit_paddings={"list": {}})

nodes.append({"name": "x", "op": "Placeholder", "attr": {"dtype": FLOAT, "shape": {"shape": {"dim": [
    {"size": "1"}, {"size": "8"}, {"size": "8"}, {"size": "3"}]}}}})
w1 = const("w1", rng.normal(0, 0.5, (3, 3, 3, 4)), "float16")
b1 = const("b1", rng.normal(0, 0.2, (4,)), "uint8")
a1 = const("a1", rng.uniform(0.05, 0.5, (4,)))
node("conv1", "_FusedConv2D", ["x", w1, b1, a1], fused_ops={"list": {"s": [b64("BiasAdd"), b64("Prelu")]}},
     num_args={"i": "2"}, epsilon={"f": 0}, use_cudnn_on_gpu={"b": True}, **conv_attrs)
dw = const("dw", rng.normal(0, 0.5, (3, 3, 4, 1)), "uint16")
db = const("db", rng.normal(0, 0.2, (4,)))
node("dconv", "FusedDepthwiseConv2dNative", ["conv1", dw, db],
     fused_ops={"list": {"s": [b64("BiasAdd"), b64("Relu6")]}}, num_args={"i": "1"}, **conv_attrs)
dw2 = const("dw2", rng.normal(0, 0.5, (3, 3, 4, 1)))
dil_attrs = dict(conv_attrs, dilations=ints(2, 2, 1, 1))  # as BodyPix stores it: TF.js reads rates (2, 1)
node("dil", "DepthwiseConv2dNative", ["dconv", dw2], **dil_attrs)
w3 = const("w3", rng.normal(0, 0.5, (1, 1, 4, 4)))
b3 = const("b3", rng.normal(0, 0.2, (4,)))
node("lrelu", "_FusedConv2D", ["dil", w3, b3], fused_ops={"list": {"s": [b64("BiasAdd"), b64("LeakyRelu")]}},
     num_args={"i": "1"}, leakyrelu_alpha={"f": 0.1}, epsilon={"f": 0}, **conv_attrs)
a2 = const("a2", rng.uniform(0.05, 0.5, (4,)))
node("prelu", "Prelu", ["lrelu", a2], T=FLOAT)
node("features", "Identity", ["prelu"], T=FLOAT)
shape = const("flat_shape", [1, 256], dtype="int32")
node("flat", "Reshape", ["prelu", shape], T=FLOAT, Tshape={"type": "DT_INT32"})
mw = const("mw", rng.normal(0, 0.2, (256, 5)))
mb = const("mb", rng.normal(0, 0.2, (5,)))
node("logits", "_FusedMatMul", ["flat", mw, mb], fused_ops={"list": {"s": [b64("BiasAdd"), b64("Relu")]}},
     num_args={"i": "1"}, epsilon={"f": 0}, transpose_a={"b": False}, transpose_b={"b": False}, T=FLOAT)
# A transposed convolution whose 3x3 kernel moves by 2 (selfie's and meet's move by their own size, which the ONNX
# conversion writes another way): SAME crops the odd excess, 17 -> 16.
up_sizes = const("up_sizes", [1, 16, 16, 2], dtype="int32")
uw = const("uw", rng.normal(0, 0.5, (3, 3, 2, 4)))
node("up", "Conv2DBackpropInput", [up_sizes, uw, "prelu"], T=FLOAT, strides=ints(1, 2, 2, 1),
     padding={"s": b64("SAME")}, data_format={"s": b64("NHWC")}, dilations=ints(1, 1, 1, 1),
     explicit_paddings={"list": {}})

model = {"format": "graph-model", "generatedBy": "vbackcam generate.py", "convertedBy": None,
         "modelTopology": {"node": nodes, "library": {}, "versions": {"producer": 1395}},
         "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": weights}]}
with open("model.json", "w") as f:
    json.dump(model, f, indent=1)
with open("group1-shard1of1.bin", "wb") as f:
    f.write(b"".join(blobs))
