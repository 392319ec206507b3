/**
 * Loaded into a dynamic-provider host with `NODE_OPTIONS=--require` (the host's own command line is not
 * ours to change, and Node.js 20 refuses `--cpu-prof` in NODE_OPTIONS): the first SIGUSR2 starts V8's
 * sampling profiler and writes `<BENCH_CPU_PROFILE>.started`; the next stops it and writes the profile to
 * BENCH_CPU_PROFILE. The benchmark transpiles this file into its temporary folder (profile.ts): the host
 * runs plain JavaScript.
 */
import * as fs from "node:fs";
import * as inspector from "node:inspector";

const target = process.env.BENCH_CPU_PROFILE;
if (target !== undefined && target !== "") {
    const session = new inspector.Session();
    session.connect();
    let running = false;
    process.on("SIGUSR2", () => {
        if (!running) {
            running = true;
            session.post("Profiler.enable", () => {
                session.post("Profiler.setSamplingInterval", { interval: 250 }, () => {
                    session.post("Profiler.start", () => {
                        fs.writeFileSync(`${target}.started`, String(process.pid));
                    });
                });
            });
            return;
        }
        running = false;
        session.post("Profiler.stop", (error, result) => {
            const text =
                error === null ? JSON.stringify(result.profile) : JSON.stringify({ error: error.message });
            // Written whole under another name, then renamed: the reader never sees half a profile.
            fs.writeFileSync(`${target}.partial`, text);
            fs.renameSync(`${target}.partial`, target);
        });
    });
}
