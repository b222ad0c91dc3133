// Valid DHCP exchanges for the shared conformance suite (../registry.test.ts).

import type { ConformanceSample } from '../testing.ts';
import { serverAck, windowsRequest } from './fixtures/datagrams.ts';

export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'dhcp',
    name: 'REQUEST from a Windows client and the server ACK',
    transmissions: [
      [0, 1, windowsRequest()],
      [1, 1.001, serverAck()],
    ],
  },
];
