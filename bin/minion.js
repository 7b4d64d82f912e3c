#!/usr/bin/env node
import("../dist/cli/main.js").catch((error) => {
  if (error && error.code === "ERR_MODULE_NOT_FOUND" && String(error.message).includes("dist/cli/main.js")) {
    console.error("minion: the build is missing; run `npm run build` (npm ci runs it for you).");
    process.exit(1);
  }
  throw error;
});
