/**
 * `npm run bench` part: how long `eventstudy run` takes when nothing changed (the cron
 * case), on the shipped sample folder. Target: <= 0.3 s. Runs the built CLI in fresh
 * processes (what a user runs), after one run that brings every report up to date.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = ["bin/eventstudy.js", "run"];
const once = (): number => {
  const started = performance.now();
  const result = spawnSync(process.execPath, cli, { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`eventstudy run failed:\n${result.stderr}`);
  return (performance.now() - started) / 1000;
};

const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
const first = once();
const times = Array.from({ length: 7 }, once).sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] as number;
console.log("\nRerun of the sample folder (analyses/*.yaml), built CLI, fresh process each time");
console.log(`  first run (brings reports up to date): ${first.toFixed(2)} s`);
console.log(`  unchanged rerun: median ${median.toFixed(3)} s, min ${times[0]?.toFixed(3)} s, max ${times.at(-1)?.toFixed(3)} s over ${times.length} runs (target <= 0.3 s)`);
const nodeTimes = Array.from({ length: 5 }, () => {
  const started = performance.now();
  spawnSync(process.execPath, ["-e", "0"]);
  return (performance.now() - started) / 1000;
}).sort((a, b) => a - b);
console.log(`  for scale: an empty node process takes ${nodeTimes[2]?.toFixed(3)} s here`);
