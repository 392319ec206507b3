import assert from "node:assert/strict";

import {
    handOver,
    handedOver,
    instanceKey,
    ownedByNewer,
    recordWrite,
    resetLedger,
} from "../../provider/ledger";

const LIMITS = {
    allChannelSubtypes: {
        communicationLimitsList: [{ maxCountPerRecipient: 9, frequency: 30, unit: "DAY" as const }],
    },
};

describe("what this process wrote to which instance (ledger)", () => {
    beforeEach(resetLedger);

    it("tells a delete that a create earlier in the process now owns the instance", () => {
        const key = instanceKey("us-west-2", "inst-1", undefined);
        assert.equal(ownedByNewer(key), false);
        recordWrite(key);
        assert.equal(ownedByNewer(key), true);
    });

    it("keeps instances apart by id, region and role", () => {
        recordWrite(instanceKey("us-west-2", "inst-1", undefined));
        assert.equal(ownedByNewer(instanceKey("us-west-2", "inst-2", undefined)), false);
        assert.equal(ownedByNewer(instanceKey("us-east-1", "inst-1", undefined)), false);
        assert.equal(
            ownedByNewer(instanceKey("us-west-2", "inst-1", "arn:aws:iam::210987654321:role/x")),
            false,
        );
    });

    it("hands a delete's previousConfig to the create of the same instance that follows it", () => {
        const key = instanceKey("us-west-2", "inst-1", undefined);
        handOver(key, LIMITS);
        assert.deepEqual(handedOver(key), LIMITS);
        assert.equal(ownedByNewer(key), false, "a delete does not own the instance");
        recordWrite(key);
        assert.equal(handedOver(key), undefined, "the create took it over");
    });
});
