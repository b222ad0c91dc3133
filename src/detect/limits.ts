// Every limit of the detection engine, with its reason. Monitoring runs for days: every table is
// bounded and evicts its oldest entry; every window is in capture time, never wall-clock time.

/** Aggregated alerts kept in memory; the oldest (by last update) is dropped beyond it. */
export const MAX_ALERTS = 10_000;
/** An updated alert is re-sent at most this often (capture seconds): a repeat never storms. */
export const RENOTIFY_INTERVAL_S = 60;

/**
 * Port scan: distinct ports of one host touched by one source within the window. Plant servers
 * listen on one or two ports and their clients use those: eight is already a survey.
 */
export const PORT_SCAN_MIN_PORTS = 8;
/** Host sweep: distinct hosts touched on the same port by one source within the window. */
export const HOST_SWEEP_MIN_HOSTS = 16;
/** Ten minutes: a slow scan (one port every few seconds) still fills it. */
export const SCAN_WINDOW_S = 600;
/** Sources (and source-target combinations) tracked by the scan rules. */
export const MAX_SCAN_TRACKERS = 4096;

/** Modbus unit-id sweep: distinct unit ids one client addresses on one server within the window. */
export const UNIT_SWEEP_MIN_UNITS = 8;
/** With a baseline: unit ids the client was never seen addressing on that server, in one window. */
export const UNIT_SWEEP_MIN_UNKNOWN_UNITS = 3;
export const UNIT_SWEEP_WINDOW_S = 60;

/** Discovery requests (ListIdentity, Who-Is, DCP identify, SZL) to this many hosts is a sweep. */
export const DISCOVERY_SWEEP_MIN_HOSTS = 8;
export const DISCOVERY_WINDOW_S = 120;

/** ARP: an IP claimed by a second MAC within this many seconds of the first is a conflict. */
export const ARP_CONFLICT_WINDOW_S = 600;
export const MAX_ARP_ADDRESSES = 16_384;

/** Floods: messages per second per pair above this always alert (the demo plant polls at < 50/s). */
export const FLOOD_ABSOLUTE_MSGS_PER_S = 500;
/** With a baseline: this many times the learned request rate of the channel, and at least the floor. */
export const FLOOD_BASELINE_FACTOR = 20;
export const FLOOD_BASELINE_FLOOR_MSGS_PER_S = 50;
/**
 * New connections from one source to one host within FLOOD_WINDOW_S that make a flood: pollers
 * keep one connection open, engineering tools open a few; a hundred a second is no client.
 */
export const FLOOD_NEW_CONNECTIONS = 100;
/** Window of the rate count. Short so a flood is seen within a second or two of its start. */
export const FLOOD_WINDOW_S = 1;

/** Pairs (client, server) with per-pair state (flood, unit sweep). */
export const MAX_PAIRS = 16_384;

/** Cadence: intervals averaged before the channel's period is compared with the learned one. */
export const CADENCE_WINDOW_SAMPLES = 30;
/** Drift when |observed mean - learned period| > k * jitter ... */
export const CADENCE_JITTER_K = 6;
/** ... and more than this fraction of the period (jitter can be ~0 in a quiet plant). */
export const CADENCE_MIN_RELATIVE_DRIFT = 0.25;

/** Missing traffic: silent for this many learned periods ... */
export const SILENCE_PERIODS = 10;
/** ... and at least this long (a 100 ms poll loop does not alert after one second). */
export const SILENCE_MIN_S = 30;
/** How often (capture seconds) the silence timer looks at the polled channels. */
export const SILENCE_CHECK_INTERVAL_S = 1;
