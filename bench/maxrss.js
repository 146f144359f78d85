// Preloaded by bench/run.js (node --require): reports the process's peak memory on exit.
process.on("exit", () => process.stderr.write(`MAXRSS ${process.resourceUsage().maxRSS}\n`));
