export { CONNECT_CAMPAIGNS_SIGNING_NAME, Emulator } from "./emulator";
export type { InjectOptions } from "./faults";
export { mulberry32 } from "./faults";
export { checkInstanceId, checkPutBody, validationMessage } from "./model";
export type { ConstraintViolation } from "./model";
export { sendRaw, sendSigned, signRaw } from "./raw";
export type { RawCredentials, RawRequest, RawResponse, SignOptions } from "./raw";
export { NodeSha256 } from "./sigv4";
export {
    CONNECT_OPERATIONS,
    DEFAULT_LATENCY_MS,
    DEMO_INSTANCE_IDS,
    FAULT_KINDS,
    FaultKind,
    NeverConfiguredShape,
    Operation,
    TEST_ACCOUNT_ID,
    TEST_CREDENTIALS,
} from "./types";
export type {
    EmulatorCredential,
    EmulatorOptions,
    EmulatorRole,
    EmulatorStats,
    FaultProfile,
    RecordedRequest,
} from "./types";
