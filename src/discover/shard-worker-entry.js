// Worker threads do not inherit the TypeScript loader the main thread registered: register it
// here, then run the shard worker.
import { register } from 'tsx/esm/api';

register();
await import('./shard-worker.ts');
