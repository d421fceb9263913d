// Yardstick (bench only, never shipped): loadPyodide() with the npm package's defaults on the
// main thread (it fetches pyodide-lock.json and the .py stdlib zip), then one Python call.
// bench/common.py replaces NAIVE_RUNTIME with the runtime folder.
import { loadPyodide } from "./NAIVE_RUNTIMEpyodide.mjs";

const pyodide = await loadPyodide({ indexURL: new URL("./NAIVE_RUNTIME", location.href).href });
const answer = pyodide.runPython("import json\njson.dumps({'skills': sorted(['stop', 'tipp', 'wise-mind'])})");
document.getElementById("result").textContent = answer;
