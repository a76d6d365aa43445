// The Worker's entry (see worker.ts). Workers compile `.wasm` imports at
// deploy time: in your project, import them from the package instead,
// "@beamlet/beamlet/wasm/scheduler.wasm" and "@beamlet/beamlet/wasm/histogram_store.wasm".
import scheduler from "../../wasm/scheduler.wasm";
import histogramStore from "../../wasm/histogram_store.wasm";
import { createWorker } from "./worker.ts";

export default createWorker({ scheduler, histogramStore });
