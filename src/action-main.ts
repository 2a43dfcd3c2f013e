import { main } from "./action.js";

// The entry of the bundled `dist/action.js` (scripts/build-action.mjs); `action.yml` runs it.
await main();
