#!/usr/bin/env node
// Entry point: runs the TypeScript CLI through tsx's loader, so `npx zoneward` works from a checkout
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
