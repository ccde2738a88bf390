// Runs a TF.js graph model with TF.js's own CPU backend, as the reference our Java conversion is checked against.
//
// Usage: node reference.mjs <request.json>
// request.json:
//   { "model": "/abs/model.json",
//     "outputs": ["Identity:0", ...],                        // tensors to fetch, in this order
//     "steps": [ { "inputs": { "src:0": { "file": "/abs/x.f32", "shape": [1,144,256,3] }, ... } }, ... ],
//     "feedback": { "r1i:0": "Identity_2:0", ... },         // from step 2 on: input <- previous step's output
//     "outDir": "/abs/dir" }
// Inputs are raw little-endian float32. Writes <outDir>/step<k>_out<i>.f32 and .shape.json per output.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const converter = require('@tensorflow/tfjs-converter');

function fileHandler(modelPath) {
  return {
    async load() {
      const json = JSON.parse(readFileSync(modelPath, 'utf8'));
      const weightSpecs = [];
      const buffers = [];
      for (const group of json.weightsManifest) {
        weightSpecs.push(...group.weights);
        for (const p of group.paths) {
          const b = readFileSync(join(dirname(modelPath), p));
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
        }
      }
      return {
        modelTopology: json.modelTopology,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
        userDefinedMetadata: json.userDefinedMetadata,
        weightSpecs,
        weightData: tf.io.concatenateArrayBuffers(buffers),
      };
    },
  };
}

function readInput(spec) {
  const b = readFileSync(spec.file);
  const data = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return tf.tensor(data, spec.shape, 'float32');
}

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
await tf.setBackend('cpu');
await tf.ready();
const model = await converter.loadGraphModel(fileHandler(request.model));
let previous = null;
for (let k = 0; k < request.steps.length; k++) {
  const feed = {};
  for (const [name, spec] of Object.entries(request.steps[k].inputs)) {
    feed[name] = readInput(spec);
  }
  if (previous) {
    for (const [input, output] of Object.entries(request.feedback || {})) {
      feed[input] = previous[request.outputs.indexOf(output)];
    }
  }
  const started = process.hrtime.bigint();
  // executeAsync: rvm has Switch/Merge control flow, which execute() refuses.
  let outs = await model.executeAsync(feed, request.outputs);
  if (!Array.isArray(outs)) outs = [outs];
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  for (let i = 0; i < outs.length; i++) {
    const values = await outs[i].data();
    const f32 = Float32Array.from(values);
    writeFileSync(join(request.outDir, `step${k}_out${i}.f32`), Buffer.from(f32.buffer));
    writeFileSync(join(request.outDir, `step${k}_out${i}.shape.json`), JSON.stringify(outs[i].shape));
  }
  console.log(`step ${k}: ${outs.length} outputs in ${ms.toFixed(1)} ms`);
  if (previous) previous.forEach((t) => t.dispose());
  Object.values(feed).forEach((t) => { if (!outs.includes(t)) t.dispose(); });
  previous = outs;
}
