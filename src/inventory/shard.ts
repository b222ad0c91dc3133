// The shard function lives with the pipeline, which assigns packets to shards; the inventory's
// tests use it to emulate sharded discovery.
export { shardOf, shardOfIpv4 } from '../pipeline/shard.ts';
