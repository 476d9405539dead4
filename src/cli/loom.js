#!/usr/bin/env node
// The `loom` binary. Loom ships as TypeScript sources run through tsx's loader, so a fresh clone
// needs no build step between `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
