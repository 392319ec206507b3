#!/usr/bin/env node
"use strict";
// The command-line entry: everything lives in the compiled dist/cli.js.
require("../dist/cli.js").main(process.argv.slice(2));
