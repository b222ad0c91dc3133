// `npm run bench`: every benchmark in bench/, one after the other, each printing its own figures.
await import('./discover.ts');
await import('./protocols.ts');
await import('./monitor.ts');
