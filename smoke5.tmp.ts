import { Sandbox } from "./src/brain/sandbox/quickjs-sandbox.js";
const s = new Sandbox({ timeoutMs: 400 });
console.log((await s.run("finalAnswer(1)")).finalAnswer);
