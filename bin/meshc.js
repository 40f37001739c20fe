#!/usr/bin/env node
// Entry of the `meshc` command: the CLI is compiled from cli/meshc.ts into dist/ by `npm ci` (prepare).
import "../dist/cli/meshc.js";
