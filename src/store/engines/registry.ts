// Every storage engine, listed once, sorted by name (STYLE.md 2). To add one, add its descriptor
// file beside these and one line here; registry.test.ts checks names and files.

import { postgresEngine } from './postgres.ts';
import { sqliteEngine } from './sqlite.ts';
import type { EngineDescriptor, EngineName } from './types.ts';

export const ENGINES: readonly EngineDescriptor[] = [postgresEngine, sqliteEngine];

export function engineNamed(name: EngineName): EngineDescriptor {
  const engine = ENGINES.find((candidate) => candidate.name === name);
  if (engine === undefined) throw new Error(`no storage engine named ${name} in ENGINES`);
  return engine;
}
