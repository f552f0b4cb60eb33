#!/usr/bin/env node
// The `tend` command. Tend is written in TypeScript and runs through tsx's loader, so a fresh clone
// needs no build step: `npm install && npm start` is enough.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
