#!/usr/bin/env node
// The command runs the TypeScript sources directly: no build step stands between a clone and it.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
