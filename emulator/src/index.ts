/**
 * connect-campaigns-emulator: the public surface. Everything a test, a script or the bin needs is re-exported
 * here; nothing else in `dist/` is part of the API.
 */
export { startEmulator, CONNECT_CAMPAIGNS_SIGNING_NAME } from "./emulator";
export { ADMIN_PREFIX, ADMIN_ROUTES } from "./admin";
export { UNSET_VARIABLES, emulatorEnv, shellLine } from "./env";
export { mulberry32 } from "./faults";
export { checkInstanceId, checkPutBody, validationMessage } from "./model";
export type { ConstraintViolation } from "./model";
export { sendRaw, sendSigned, signRaw } from "./raw";
export type { RawCredentials, RawRequest, RawResponse, SignOptions } from "./raw";
export { NodeSha256 } from "./sigv4";
export {
    CORAL_ERROR_TYPE_SUFFIX,
    GET_BODY_VARIANTS,
    PROXY_502_BODY,
    SERVICE_NAMESPACE,
    UNKNOWN_UNION_MEMBER,
} from "./wire";
export {
    CONNECT_OPERATIONS,
    DEFAULT_LATENCY_MS,
    DEFAULT_REGION,
    DEFAULT_TRICKLE_INTERVAL_MS,
    DEMO_INSTANCE_IDS,
    FAULT_KINDS,
    FaultKind,
    GET_BODY_FAULT_KINDS,
    NeverConfiguredShape,
    Operation,
    TEST_ACCOUNT_ID,
    TEST_CREDENTIALS,
} from "./types";
export type {
    EmulatorCredential,
    EmulatorEnv,
    EmulatorHandle,
    EmulatorOptions,
    EmulatorRole,
    EmulatorStats,
    ErrorStyle,
    FaultProfile,
    InjectOptions,
    InstanceLocation,
    InstanceRecord,
    InstanceSpec,
    QuotaOptions,
    RecordedRequest,
} from "./types";
