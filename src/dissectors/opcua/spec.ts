// OPC UA Binary code tables: UA Connection Protocol message types, secure conversation chunk types,
// the service messages by the NodeId of their binary encoding (the "type id" that opens every
// message body), the enumerations the decoded services carry, security policies and status codes,
// each with the specification's names. Services map to Zoneward's operation vocabulary here; the
// lookups at the bottom are built once at load so the per-message path never concatenates.
//
// Sources: OPC 10000-6 (Part 6, Mappings) v1.04/1.05: §7.1.2 message header and Hello/Acknowledge/
// Error/ReverseHello, §6.7.2 secure conversation headers, §5.2 binary encoding; OPC 10000-4
// (Part 4, Services) §5 service sets and §7 common types; OPC 10000-7 (Part 7, Profiles) security
// policy URIs; the NodeIds.csv and StatusCode.csv files the OPC Foundation publishes with the
// specification (the numbers below are theirs). Type names (`ReadRequest`) are printed exactly as
// CISA ICSNPP prints `identifier_str`; service names are Part 4's in upper snake case (`READ`).

import type { Operation } from '../operations.ts';

/** UA Connection Protocol and secure conversation message types (Part 6 §7.1.2.2, §6.7.2.2). */
export const MESSAGE_TYPES = {
  HEL: 'Hello', // §7.1.2.3
  ACK: 'Acknowledge', // §7.1.2.4
  ERR: 'Error', // §7.1.2.5
  RHE: 'ReverseHello', // §7.1.2.6
  OPN: 'OpenSecureChannel', // §6.7.2, asymmetric security header
  MSG: 'Message', // §6.7.2, symmetric security header
  CLO: 'CloseSecureChannel', // §6.7.2, symmetric security header
} as const;
export type MessageType = keyof typeof MESSAGE_TYPES;

/**
 * The chunk type byte (Part 6 §6.7.2.2 "IsFinal"): C intermediate, F final, A final after an abort.
 * §7.1.2.2: HEL, ACK, ERR and RHE are always F.
 */
export const CHUNK_TYPES = { C: 0x43, F: 0x46, A: 0x41 } as const;
export type ChunkType = keyof typeof CHUNK_TYPES;

export type ServiceName = (typeof SERVICES)[keyof typeof SERVICES]['service'];

/**
 * Every Part 4 service, with the NodeIds of the DefaultBinary encodings of its request and response
 * (NodeIds.csv, `<Name>Request_Encoding_DefaultBinary`) and its operation. The choices that are not
 * obvious:
 * - Call is `control`: a method can do anything its server exposes (start a machine, change a
 *   mode, acknowledge an alarm); treating every call as a state change is the conservative reading.
 * - Subscriptions and monitored items are `read`: they deliver values, they do not change them.
 * - RegisterNodes/UnregisterNodes are `other`: they only announce nodes a client will use.
 * - The secure channel and session services are `auth` (DESIGN: sessions, security channels).
 */
export const SERVICES = {
  // Discovery service set (Part 4 §5.4)
  FindServers: { request: 422, response: 425, service: 'FIND_SERVERS', operation: 'discovery' },
  FindServersOnNetwork: {
    request: 12208,
    response: 12209,
    service: 'FIND_SERVERS_ON_NETWORK',
    operation: 'discovery',
  },
  GetEndpoints: { request: 428, response: 431, service: 'GET_ENDPOINTS', operation: 'discovery' },
  RegisterServer: { request: 437, response: 440, service: 'REGISTER_SERVER', operation: 'discovery' },
  RegisterServer2: { request: 12211, response: 12212, service: 'REGISTER_SERVER2', operation: 'discovery' },
  // SecureChannel service set (Part 4 §5.5), carried in OPN and CLO messages (Part 6 §6.7.2)
  OpenSecureChannel: { request: 446, response: 449, service: 'OPEN_SECURE_CHANNEL', operation: 'auth' },
  CloseSecureChannel: { request: 452, response: 455, service: 'CLOSE_SECURE_CHANNEL', operation: 'auth' },
  // Session service set (Part 4 §5.6)
  CreateSession: { request: 461, response: 464, service: 'CREATE_SESSION', operation: 'auth' },
  ActivateSession: { request: 467, response: 470, service: 'ACTIVATE_SESSION', operation: 'auth' },
  CloseSession: { request: 473, response: 476, service: 'CLOSE_SESSION', operation: 'auth' },
  Cancel: { request: 479, response: 482, service: 'CANCEL', operation: 'other' },
  // NodeManagement service set (Part 4 §5.7): changes the address space
  AddNodes: { request: 488, response: 491, service: 'ADD_NODES', operation: 'write' },
  AddReferences: { request: 494, response: 497, service: 'ADD_REFERENCES', operation: 'write' },
  DeleteNodes: { request: 500, response: 503, service: 'DELETE_NODES', operation: 'write' },
  DeleteReferences: { request: 506, response: 509, service: 'DELETE_REFERENCES', operation: 'write' },
  // View service set (Part 4 §5.8)
  Browse: { request: 527, response: 530, service: 'BROWSE', operation: 'read' },
  BrowseNext: { request: 533, response: 536, service: 'BROWSE_NEXT', operation: 'read' },
  TranslateBrowsePathsToNodeIds: {
    request: 554,
    response: 557,
    service: 'TRANSLATE_BROWSE_PATHS_TO_NODE_IDS',
    operation: 'read',
  },
  RegisterNodes: { request: 560, response: 563, service: 'REGISTER_NODES', operation: 'other' },
  UnregisterNodes: { request: 566, response: 569, service: 'UNREGISTER_NODES', operation: 'other' },
  // Query service set (Part 4 §5.9)
  QueryFirst: { request: 615, response: 618, service: 'QUERY_FIRST', operation: 'read' },
  QueryNext: { request: 621, response: 624, service: 'QUERY_NEXT', operation: 'read' },
  // Attribute service set (Part 4 §5.10)
  Read: { request: 631, response: 634, service: 'READ', operation: 'read' },
  HistoryRead: { request: 664, response: 667, service: 'HISTORY_READ', operation: 'read' },
  Write: { request: 673, response: 676, service: 'WRITE', operation: 'write' },
  HistoryUpdate: { request: 700, response: 703, service: 'HISTORY_UPDATE', operation: 'write' },
  // Method service set (Part 4 §5.11)
  Call: { request: 712, response: 715, service: 'CALL', operation: 'control' },
  // MonitoredItem service set (Part 4 §5.12)
  CreateMonitoredItems: { request: 751, response: 754, service: 'CREATE_MONITORED_ITEMS', operation: 'read' },
  ModifyMonitoredItems: { request: 763, response: 766, service: 'MODIFY_MONITORED_ITEMS', operation: 'read' },
  SetMonitoringMode: { request: 769, response: 772, service: 'SET_MONITORING_MODE', operation: 'read' },
  SetTriggering: { request: 775, response: 778, service: 'SET_TRIGGERING', operation: 'read' },
  DeleteMonitoredItems: { request: 781, response: 784, service: 'DELETE_MONITORED_ITEMS', operation: 'read' },
  // Subscription service set (Part 4 §5.13)
  CreateSubscription: { request: 787, response: 790, service: 'CREATE_SUBSCRIPTION', operation: 'read' },
  ModifySubscription: { request: 793, response: 796, service: 'MODIFY_SUBSCRIPTION', operation: 'read' },
  SetPublishingMode: { request: 799, response: 802, service: 'SET_PUBLISHING_MODE', operation: 'read' },
  Publish: { request: 826, response: 829, service: 'PUBLISH', operation: 'read' },
  Republish: { request: 832, response: 835, service: 'REPUBLISH', operation: 'read' },
  TransferSubscriptions: {
    request: 841,
    response: 844,
    service: 'TRANSFER_SUBSCRIPTIONS',
    operation: 'read',
  },
  DeleteSubscriptions: { request: 847, response: 850, service: 'DELETE_SUBSCRIPTIONS', operation: 'read' },
} as const satisfies Record<
  string,
  { request: number; response: number; service: string; operation: Operation }
>;

/**
 * The response a server sends instead of the service's own when the whole request fails (Part 4
 * §7.30, NodeIds.csv ServiceFault_Encoding_DefaultBinary). It names no service: the dissector
 * takes the service of the request it answers (same RequestId, Part 6 §6.7.2.4).
 */
export const SERVICE_FAULT_TYPE_ID = 397;
export const SERVICE_FAULT_NAME = 'ServiceFault';
/** `opcua.service` of a ServiceFault whose request was not seen. */
export const SERVICE_FAULT_SERVICE = 'SERVICE_FAULT';

/** MessageSecurityMode (Part 4 §7.20), printed in upper snake case. */
export const SECURITY_MODES = ['INVALID', 'NONE', 'SIGN', 'SIGN_AND_ENCRYPT'] as const;
export const SECURITY_MODE = { INVALID: 0, NONE: 1, SIGN: 2, SIGN_AND_ENCRYPT: 3 } as const;

/** SecurityTokenRequestType of OpenSecureChannel (Part 4 §5.5.2.2). */
export const REQUEST_TYPES = ['ISSUE', 'RENEW'] as const;

/** ApplicationType of an ApplicationDescription (Part 4 §7.1). */
export const APPLICATION_TYPES = ['SERVER', 'CLIENT', 'CLIENT_AND_SERVER', 'DISCOVERY_SERVER'] as const;

/** UserTokenType (Part 4 §7.42; the spec spells the members ANONYMOUS_0 ... ISSUEDTOKEN_3). */
export const USER_TOKEN_TYPES = ['ANONYMOUS', 'USERNAME', 'CERTIFICATE', 'ISSUEDTOKEN'] as const;

/**
 * The user identity tokens of ActivateSession by the NodeId of their binary encoding (Part 4
 * §7.41, NodeIds.csv), mapped to their UserTokenType index.
 */
export const IDENTITY_TOKEN_TYPE_IDS = {
  AnonymousIdentityToken: { typeId: 321, tokenType: 0 },
  UserNameIdentityToken: { typeId: 324, tokenType: 1 },
  X509IdentityToken: { typeId: 327, tokenType: 2 },
  IssuedIdentityToken: { typeId: 940, tokenType: 3 },
} as const;

/** TimestampsToReturn of Read and HistoryRead (Part 4 §7.40). */
export const TIMESTAMPS_TO_RETURN = ['SOURCE', 'SERVER', 'BOTH', 'NEITHER', 'INVALID'] as const;

/** Attribute ids (Part 4 §5.10 refers to Part 3 §5 and Part 6 Annex A.1), index = id. */
export const ATTRIBUTES = [
  'UNKNOWN-0',
  'NODE_ID',
  'NODE_CLASS',
  'BROWSE_NAME',
  'DISPLAY_NAME',
  'DESCRIPTION',
  'WRITE_MASK',
  'USER_WRITE_MASK',
  'IS_ABSTRACT',
  'SYMMETRIC',
  'INVERSE_NAME',
  'CONTAINS_NO_LOOPS',
  'EVENT_NOTIFIER',
  'VALUE',
  'DATA_TYPE',
  'VALUE_RANK',
  'ARRAY_DIMENSIONS',
  'ACCESS_LEVEL',
  'USER_ACCESS_LEVEL',
  'MINIMUM_SAMPLING_INTERVAL',
  'HISTORIZING',
  'EXECUTABLE',
  'USER_EXECUTABLE',
  'DATA_TYPE_DEFINITION',
  'ROLE_PERMISSIONS',
  'USER_ROLE_PERMISSIONS',
  'ACCESS_RESTRICTIONS',
  'ACCESS_LEVEL_EX',
] as const;

/** Prefix of every standard security policy URI (Part 7, "Security Policy" profiles). */
export const SECURITY_POLICY_PREFIX = 'http://opcfoundation.org/UA/SecurityPolicy#';

/**
 * Security policies by the fragment of their URI (Part 7). `deprecated`: OPC UA 1.04 deprecated
 * Basic128Rsa15 and Basic256 (SHA-1, RSA PKCS#1 v1.5); a channel on them is worth an alert.
 */
export const SECURITY_POLICIES = {
  None: { deprecated: false },
  Basic128Rsa15: { deprecated: true },
  Basic256: { deprecated: true },
  Basic256Sha256: { deprecated: false },
  Aes128_Sha256_RsaOaep: { deprecated: false },
  Aes256_Sha256_RsaPss: { deprecated: false },
  ECC_nistP256: { deprecated: false },
  ECC_nistP384: { deprecated: false },
  ECC_brainpoolP256r1: { deprecated: false },
  ECC_brainpoolP384r1: { deprecated: false },
  ECC_curve25519: { deprecated: false },
  ECC_curve448: { deprecated: false },
} as const;
export type SecurityPolicyName = keyof typeof SECURITY_POLICIES;

/**
 * Status codes (Part 4 §7.39, Part 6 Annex A; values from StatusCode.csv) that services and the
 * transport report as a whole: service results, Error messages, aborts, write results. The table
 * keeps the CSV's spelling; events print it in upper snake case (`BadTimeout` -> `BAD_TIMEOUT`).
 * Only the upper 16 bits (severity and sub-code) identify a code; the lower ones are info bits.
 */
export const STATUS_CODES = {
  Good: 0x00000000,
  Uncertain: 0x40000000,
  Bad: 0x80000000,
  BadUnexpectedError: 0x80010000,
  BadInternalError: 0x80020000,
  BadOutOfMemory: 0x80030000,
  BadResourceUnavailable: 0x80040000,
  BadCommunicationError: 0x80050000,
  BadEncodingError: 0x80060000,
  BadDecodingError: 0x80070000,
  BadEncodingLimitsExceeded: 0x80080000,
  BadRequestTooLarge: 0x80b80000,
  BadResponseTooLarge: 0x80b90000,
  BadUnknownResponse: 0x80090000,
  BadTimeout: 0x800a0000,
  BadServiceUnsupported: 0x800b0000,
  BadShutdown: 0x800c0000,
  BadServerNotConnected: 0x800d0000,
  BadServerHalted: 0x800e0000,
  BadNothingToDo: 0x800f0000,
  BadTooManyOperations: 0x80100000,
  BadTooManyMonitoredItems: 0x80db0000,
  BadDataTypeIdUnknown: 0x80110000,
  BadCertificateInvalid: 0x80120000,
  BadSecurityChecksFailed: 0x80130000,
  BadCertificatePolicyCheckFailed: 0x81140000,
  BadCertificateTimeInvalid: 0x80140000,
  BadCertificateIssuerTimeInvalid: 0x80150000,
  BadCertificateHostNameInvalid: 0x80160000,
  BadCertificateUriInvalid: 0x80170000,
  BadCertificateUseNotAllowed: 0x80180000,
  BadCertificateIssuerUseNotAllowed: 0x80190000,
  BadCertificateUntrusted: 0x801a0000,
  BadCertificateRevocationUnknown: 0x801b0000,
  BadCertificateIssuerRevocationUnknown: 0x801c0000,
  BadCertificateRevoked: 0x801d0000,
  BadCertificateIssuerRevoked: 0x801e0000,
  BadCertificateChainIncomplete: 0x810d0000,
  BadUserAccessDenied: 0x801f0000,
  BadIdentityTokenInvalid: 0x80200000,
  BadIdentityTokenRejected: 0x80210000,
  BadSecureChannelIdInvalid: 0x80220000,
  BadInvalidTimestamp: 0x80230000,
  BadNonceInvalid: 0x80240000,
  BadSessionIdInvalid: 0x80250000,
  BadSessionClosed: 0x80260000,
  BadSessionNotActivated: 0x80270000,
  BadSubscriptionIdInvalid: 0x80280000,
  BadRequestHeaderInvalid: 0x802a0000,
  BadTimestampsToReturnInvalid: 0x802b0000,
  BadRequestCancelledByClient: 0x802c0000,
  BadTooManyArguments: 0x80e50000,
  BadLicenseExpired: 0x810e0000,
  BadLicenseLimitsExceeded: 0x810f0000,
  BadLicenseNotAvailable: 0x81100000,
  BadServerTooBusy: 0x80ee0000,
  GoodPasswordChangeRequired: 0x00ef0000,
  GoodSubscriptionTransferred: 0x002d0000,
  GoodCompletesAsynchronously: 0x002e0000,
  GoodOverload: 0x002f0000,
  GoodClamped: 0x00300000,
  BadNoCommunication: 0x80310000,
  BadWaitingForInitialData: 0x80320000,
  BadNodeIdInvalid: 0x80330000,
  BadNodeIdUnknown: 0x80340000,
  BadAttributeIdInvalid: 0x80350000,
  BadIndexRangeInvalid: 0x80360000,
  BadIndexRangeNoData: 0x80370000,
  BadIndexRangeDataMismatch: 0x80ea0000,
  BadDataEncodingInvalid: 0x80380000,
  BadDataEncodingUnsupported: 0x80390000,
  BadNotReadable: 0x803a0000,
  BadNotWritable: 0x803b0000,
  BadOutOfRange: 0x803c0000,
  BadNotSupported: 0x803d0000,
  BadNotFound: 0x803e0000,
  BadObjectDeleted: 0x803f0000,
  BadNotImplemented: 0x80400000,
  BadMonitoringModeInvalid: 0x80410000,
  BadMonitoredItemIdInvalid: 0x80420000,
  BadMonitoredItemFilterInvalid: 0x80430000,
  BadMonitoredItemFilterUnsupported: 0x80440000,
  BadFilterNotAllowed: 0x80450000,
  BadStructureMissing: 0x80460000,
  BadEventFilterInvalid: 0x80470000,
  BadContentFilterInvalid: 0x80480000,
  BadFilterOperandInvalid: 0x80490000,
  BadContinuationPointInvalid: 0x804a0000,
  BadNoContinuationPoints: 0x804b0000,
  BadReferenceTypeIdInvalid: 0x804c0000,
  BadBrowseDirectionInvalid: 0x804d0000,
  BadNodeNotInView: 0x804e0000,
  BadNumericOverflow: 0x81120000,
  BadLocaleNotSupported: 0x80ed0000,
  BadNoValue: 0x80f00000,
  BadServerUriInvalid: 0x804f0000,
  BadServerNameMissing: 0x80500000,
  BadDiscoveryUrlMissing: 0x80510000,
  BadSempahoreFileMissing: 0x80520000,
  BadRequestTypeInvalid: 0x80530000,
  BadSecurityModeRejected: 0x80540000,
  BadSecurityPolicyRejected: 0x80550000,
  BadTooManySessions: 0x80560000,
  BadUserSignatureInvalid: 0x80570000,
  BadApplicationSignatureInvalid: 0x80580000,
  BadNoValidCertificates: 0x80590000,
  BadIdentityChangeNotSupported: 0x80c60000,
  BadRequestCancelledByRequest: 0x805a0000,
  BadParentNodeIdInvalid: 0x805b0000,
  BadReferenceNotAllowed: 0x805c0000,
  BadNodeIdRejected: 0x805d0000,
  BadNodeIdExists: 0x805e0000,
  BadNodeClassInvalid: 0x805f0000,
  BadBrowseNameInvalid: 0x80600000,
  BadBrowseNameDuplicated: 0x80610000,
  BadNodeAttributesInvalid: 0x80620000,
  BadTypeDefinitionInvalid: 0x80630000,
  BadSourceNodeIdInvalid: 0x80640000,
  BadTargetNodeIdInvalid: 0x80650000,
  BadDuplicateReferenceNotAllowed: 0x80660000,
  BadInvalidSelfReference: 0x80670000,
  BadReferenceLocalOnly: 0x80680000,
  BadNoDeleteRights: 0x80690000,
  UncertainReferenceNotDeleted: 0x40bc0000,
  BadServerIndexInvalid: 0x806a0000,
  BadViewIdUnknown: 0x806b0000,
  BadTooManyMatches: 0x806d0000,
  BadQueryTooComplex: 0x806e0000,
  BadNoMatch: 0x806f0000,
  BadMaxAgeInvalid: 0x80700000,
  BadSecurityModeInsufficient: 0x80e60000,
  BadHistoryOperationInvalid: 0x80710000,
  BadHistoryOperationUnsupported: 0x80720000,
  BadWriteNotSupported: 0x80730000,
  BadTypeMismatch: 0x80740000,
  BadMethodInvalid: 0x80750000,
  BadArgumentsMissing: 0x80760000,
  BadNotExecutable: 0x81110000,
  BadTooManySubscriptions: 0x80770000,
  BadTooManyPublishRequests: 0x80780000,
  BadNoSubscription: 0x80790000,
  BadSequenceNumberUnknown: 0x807a0000,
  BadMessageNotAvailable: 0x807b0000,
  BadInsufficientClientProfile: 0x807c0000,
  BadStateNotActive: 0x80bf0000,
  BadAlreadyExists: 0x81150000,
  BadTcpServerTooBusy: 0x807d0000,
  BadTcpMessageTypeInvalid: 0x807e0000,
  BadTcpSecureChannelUnknown: 0x807f0000,
  BadTcpMessageTooLarge: 0x80800000,
  BadTcpNotEnoughResources: 0x80810000,
  BadTcpInternalError: 0x80820000,
  BadTcpEndpointUrlInvalid: 0x80830000,
  BadRequestInterrupted: 0x80840000,
  BadRequestTimeout: 0x80850000,
  BadSecureChannelClosed: 0x80860000,
  BadSecureChannelTokenUnknown: 0x80870000,
  BadSequenceNumberInvalid: 0x80880000,
  BadProtocolVersionUnsupported: 0x80be0000,
  BadConfigurationError: 0x80890000,
  BadNotConnected: 0x808a0000,
  BadDeviceFailure: 0x808b0000,
} as const;

// Lookups, built once.

export interface ServiceEntry {
  /** The type name ICSNPP prints (`ReadRequest`, `ReadResponse`). */
  readonly typeName: string;
  /** Part 4 service name in upper snake case (`READ`). */
  readonly service: string;
  readonly operation: Operation;
  readonly isResponse: boolean;
}

/** Service messages by the numeric id of their encoding NodeId (namespace 0). */
export const SERVICE_BY_TYPE_ID: ReadonlyMap<number, ServiceEntry> = (() => {
  const m = new Map<number, ServiceEntry>();
  for (const [name, s] of Object.entries(SERVICES)) {
    m.set(s.request, {
      typeName: `${name}Request`,
      service: s.service,
      operation: s.operation,
      isResponse: false,
    });
    m.set(s.response, {
      typeName: `${name}Response`,
      service: s.service,
      operation: s.operation,
      isResponse: true,
    });
  }
  return m;
})();

/** `UNKNOWN-<id>` for the type ids no table names, made on first use and kept (bounded by use). */
const unknownNames = new Map<number, string>();
export function unknownName(id: number): string {
  let s = unknownNames.get(id);
  if (s === undefined) {
    s = `UNKNOWN-${id}`;
    // Names are only cached while the cache is small: random type ids must not grow it forever.
    if (unknownNames.size < 1024) unknownNames.set(id, s);
  }
  return s;
}

/** `BadTimeout` -> `BAD_TIMEOUT`, `Good` -> `GOOD` (DESIGN.md "Names"). */
export function upperSnake(camel: string): string {
  return camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

const STATUS_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(STATUS_CODES).map(([name, code]) => [code >>> 16, upperSnake(name)]),
);

/** Name of a status code by its severity and sub-code; `UNKNOWN-<n>` for codes not in the table. */
export function statusName(code: number): string {
  return STATUS_BY_CODE.get(code >>> 16) ?? unknownName(code >>> 0);
}

/** Part 4 §7.39: the two top bits are the severity; 10 is Bad (11 is reserved and read as Bad). */
export function isBadStatus(code: number): boolean {
  return code >>> 31 === 1;
}

const POLICY_BY_URI: ReadonlyMap<string, SecurityPolicyName> = new Map(
  (Object.keys(SECURITY_POLICIES) as SecurityPolicyName[]).map((n) => [`${SECURITY_POLICY_PREFIX}${n}`, n]),
);

/** Short name of a security policy URI; a URI outside Part 7 keeps its own text. */
export function securityPolicyName(uri: string): string {
  return POLICY_BY_URI.get(uri) ?? uri;
}

export function isDeprecatedPolicy(uri: string): boolean {
  const n = POLICY_BY_URI.get(uri);
  return n !== undefined && SECURITY_POLICIES[n].deprecated;
}

export const POLICY_NONE_URI = `${SECURITY_POLICY_PREFIX}None`;

/** Identity token encodings by type id. */
export const TOKEN_TYPE_BY_TYPE_ID: ReadonlyMap<number, number> = new Map(
  Object.values(IDENTITY_TOKEN_TYPE_IDS).map((t) => [t.typeId, t.tokenType]),
);

/** A name from a small enumeration table, `UNKNOWN-<n>` outside it. */
export function enumName(table: readonly string[], value: number): string {
  return value >= 0 && value < table.length ? table[value] : unknownName(value);
}

/**
 * Nodes of the server's own BuildInfo (Part 5 §6.3.1 Server object, §12.4 BuildInfo, NodeIds.csv):
 * a client that reads them learns the server's manufacturer and software version, which the
 * ApplicationDescription does not carry. Keyed by the numeric id in namespace 0.
 */
export const BUILD_INFO_NODES = {
  Server_ServerStatus: 2256, // ServerStatusDataType, holds a BuildInfo
  Server_ServerStatus_BuildInfo: 2260, // BuildInfo structure
  Server_ServerStatus_BuildInfo_ProductName: 2261,
  Server_ServerStatus_BuildInfo_ProductUri: 2262,
  Server_ServerStatus_BuildInfo_ManufacturerName: 2263,
  Server_ServerStatus_BuildInfo_SoftwareVersion: 2264,
  Server_ServerStatus_BuildInfo_BuildNumber: 2265,
} as const;

/** Encodings of the structures those nodes hold (NodeIds.csv `<Type>_Encoding_DefaultBinary`). */
export const BUILD_INFO_TYPE_ID = 340;
export const SERVER_STATUS_TYPE_ID = 864;
