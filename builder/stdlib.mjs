// Build the precompiled, trimmed standard-library zip the worker loads instead of Pyodide's
// python_stdlib.zip (which holds .py sources that every start would compile again).
// Runs Pyodide's own Python in Node, because .pyc bytecode must match that interpreter.
// builder/runtime.py calls this only when its cache has no zip for this Pyodide + engine.
//
//   node builder/stdlib.mjs PYODIDE_DIR ENGINE_DIR SKILLS_JSON OUT_ZIP
//
// Prints a JSON summary (module list, sizes) on stdout.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [pyodideDir, engineDir, skillsJson, outZip] = process.argv.slice(2).map((p) => p && resolve(p));
if (!outZip) {
  console.error("usage: node builder/stdlib.mjs PYODIDE_DIR ENGINE_DIR SKILLS_JSON OUT_ZIP");
  process.exit(2);
}

const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
// Quiet: Pyodide's boot messages would mix into the JSON summary. PYTHONNODEBUGRANGES leaves
// column ranges out of the compiled code (a fifth smaller; tracebacks keep line numbers).
const py = await loadPyodide({
  indexURL: pyodideDir + "/",
  env: { HOME: "/home/pyodide", PYTHONNODEBUGRANGES: "1" },
  stdout: () => {},
  stderr: (s) => console.error(s),
});

py.FS.mkdirTree("/probe/engine/coach");
for (const name of readdirSync(engineDir).sort()) {
  if (name.endsWith(".py") && name !== "__main__.py") {
    py.FS.writeFile(`/probe/engine/coach/${name}`, readFileSync(join(engineDir, name)));
  }
}
py.FS.writeFile("/probe/skills.json", readFileSync(skillsJson));

const here = dirname(fileURLToPath(import.meta.url));
py.runPython(readFileSync(join(here, "stdlib_probe.py"), "utf8"), { filename: "stdlib_probe.py" });

// A Python error crossing into JS is formatted on the way: make sure that path works too.
try {
  py.runPython("raise RuntimeError('probe')");
} catch (err) {
  if (!String(err).includes("RuntimeError")) throw err;
}

writeFileSync(outZip, py.FS.readFile("/probe/out.zip"));
process.stdout.write(py.FS.readFile("/probe/modules.json", { encoding: "utf8" }) + "\n");
