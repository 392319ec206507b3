import assert from "node:assert/strict";

import {
    CallFailedError,
    ConnectLimitsError,
    PartialFailureError,
    ProviderConfigurationError,
    StateError,
    formatFailure,
} from "../../provider/errors";
import type { CallFailure } from "../../provider/errors";

const BASE: CallFailure = {
    operation: "GetInstanceCommunicationLimits",
    instanceId: "inst-1",
    region: "us-west-2",
    awsError: "InternalServerException",
    awsMessage: "boom",
    nextStep: "Next step: run again.",
};

describe("the provider's errors (errors)", () => {
    it("says 'no response' only when none came, 'no request id in the response' when one came without an id", () => {
        assert.equal(
            formatFailure(BASE),
            "GetInstanceCommunicationLimits for Amazon Connect instance inst-1 in us-west-2 failed: InternalServerException: boom (no response). Next step: run again.",
        );
        assert.equal(
            formatFailure({ ...BASE, httpStatus: 502 }),
            "GetInstanceCommunicationLimits for Amazon Connect instance inst-1 in us-west-2 failed: InternalServerException: boom (HTTP 502, no request id in the response). Next step: run again.",
        );
        assert.equal(
            formatFailure({ ...BASE, httpStatus: 500, requestId: "r-1", attempts: 2, endpoint: "https://e" }),
            "GetInstanceCommunicationLimits for Amazon Connect instance inst-1 in us-west-2 failed: InternalServerException: boom (HTTP 500, request id r-1, 2 attempts, endpoint https://e). Next step: run again.",
        );
        assert.equal(
            formatFailure({
                ...BASE,
                operation: "ResolveRegion",
                instanceId: "",
                region: "",
                sent: false,
                awsMessage: " ",
            }),
            "ResolveRegion failed: InternalServerException: (no message) (no request was sent). Next step: run again.",
        );
    });

    it("says the headers came and the body did not when only the status and headers of an answer came", () => {
        assert.equal(
            formatFailure({ ...BASE, awsError: "TimeoutError", httpStatus: 200, bodyIncomplete: true }),
            "GetInstanceCommunicationLimits for Amazon Connect instance inst-1 in us-west-2 failed: TimeoutError: boom (HTTP 200 headers came, the body did not complete, no request id in the response). Next step: run again.",
        );
        assert.equal(
            formatFailure({
                ...BASE,
                awsError: "TimeoutError",
                httpStatus: 200,
                bodyIncomplete: true,
                requestId: "r-2",
                attempts: 3,
            }),
            "GetInstanceCommunicationLimits for Amazon Connect instance inst-1 in us-west-2 failed: TimeoutError: boom (HTTP 200 headers came, the body did not complete, request id r-2, 3 attempts). Next step: run again.",
        );
    });

    it("gives every error one base class and a literal name, and keeps the cause", () => {
        const cause = new Error("socket hang up");
        const errors: [ConnectLimitsError, string][] = [
            [new CallFailedError(BASE, { cause }), "CallFailedError"],
            [
                new PartialFailureError("inst-1", {}, cause, "The resource stays in state."),
                "PartialFailureError",
            ],
            [
                new ProviderConfigurationError(["AWS_MAX_ATTEMPTS must be a whole number."]),
                "ProviderConfigurationError",
            ],
            [new StateError("previousConfig is not valid"), "StateError"],
        ];
        for (const [error, name] of errors) {
            assert.ok(error instanceof ConnectLimitsError);
            assert.equal(error.name, name);
        }
        assert.equal(errors[0]?.[0].cause, cause);
    });

    it("carries a partial failure's whole message as its reason, which is what the engine prints", () => {
        const error = new PartialFailureError(
            "inst-1",
            { connectInstanceId: "inst-1" },
            new Error("read-back failed."),
            "It stays in state.",
        );
        assert.equal(error.message, "read-back failed. It stays in state.");
        assert.deepEqual(error.reasons, ["read-back failed. It stays in state."]);
        assert.equal(error.id, "inst-1");
    });

    it("says no call was made when the configuration is invalid", () => {
        assert.equal(
            new ProviderConfigurationError(["a is wrong.", "b is wrong."]).message,
            "The provider configuration is invalid: a is wrong. b is wrong. No call was made.",
        );
    });
});
