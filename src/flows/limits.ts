// Every bound of the communication map, with its reason (DESIGN.md "Streaming and bounded"): the map
// grows with the size of the plant, never with the length of the capture.

/** Address ranges kept per flow; past it the closest ranges of one space are merged. */
export const MAX_ADDRESS_RANGES = 64;

/** Unit ids kept per flow: the whole Modbus unit id space (one byte, Modbus/TCP header). */
export const MAX_UNITS = 256;

/**
 * Distinct function names counted per flow. A protocol's function space is finite (Modbus: 127
 * codes plus MEI types), so this only trims a dissector bug; later names go under OTHER_FUNCTIONS.
 */
export const MAX_FUNCTION_NAMES = 512;
export const OTHER_FUNCTIONS = 'OTHER';

/**
 * Flows kept by one builder. A plant has thousands; only a scan or a capture of the Internet edge
 * reaches this, and then further flows are counted in `stats().droppedFlows` instead of stored.
 */
export const MAX_FLOWS = 250_000;
