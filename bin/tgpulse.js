#!/usr/bin/env node
// Runs the TypeScript CLI directly: no build step between a clone and a working command.
require('tsx/cjs');
require('../src/starters/cli/main.ts');
